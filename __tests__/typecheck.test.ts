import { spawnSync } from "node:child_process";
import { join } from "node:path";

// Synth and the other tests strip types without checking them; this is where types are checked.
test("the whole project type-checks", () => {
  const root = join(__dirname, "..");
  const tsc = join(root, "node_modules", "typescript-native", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "--noEmit", "-p", root], { encoding: "utf8", timeout: 120_000 });
  expect(result.stdout + result.stderr).toBe("");
  expect(result.status).toBe(0);
});
