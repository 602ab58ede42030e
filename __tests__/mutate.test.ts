import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { MUTATIONS, type Mutation } from "../tools/mutate/mutations";
import { listProblems, staleness } from "../tools/mutate";

const root = join(__dirname, "..");
const read = (file: string) => (existsSync(join(root, file)) ? readFileSync(join(root, file), "utf8") : undefined);
const mutation = (patch: Partial<Mutation> = {}): Mutation => ({ id: "m", file: "f.ts", find: "secure: true", replace: "secure: false", why: "w", tests: ["backend.test.ts"], ...patch });

describe("the mutation list", () => {
  test("covers every cloud's network, the state backend and bootstrap, the refusals, the runner, diff and the workflows", () => {
    const files = new Set(MUTATIONS.map((m) => m.file));
    expect([...files].filter((f) => f.startsWith("modules/network/")).sort()).toEqual(["modules/network/aws.ts", "modules/network/azure.ts", "modules/network/gcp.ts", "modules/network/ibm.ts", "modules/network/oci.ts"]);
    for (const file of ["backends/s3-backend.ts", "backends/state-bootstrap.ts", "backends/settings.ts", "environments/validate.ts", "stacks/selection.ts", "lib/run-app.ts", "tools/diff/process.ts", ".github/workflows/diff.yml"]) {
      expect(files).toContain(file);
    }
  });

  test("is fresh: every entry applies exactly once, ids are unique, test files exist", () => {
    expect(listProblems(MUTATIONS, read)).toEqual([]);
  });

  test("fails if an entry is stale, ambiguous, duplicated or names a missing test file", () => {
    const files: Record<string, string> = { "f.ts": "secure: true", "g.ts": "secure: true; secure: true", "__tests__/backend.test.ts": "" };
    const readFake = (file: string) => files[file];
    expect(staleness(mutation(), "nothing here")).toBe("its find text no longer occurs in f.ts");
    expect(
      listProblems([mutation(), mutation({ id: "m" }), mutation({ id: "n", file: "g.ts" }), mutation({ id: "o", file: "h.ts" }), mutation({ id: "p", tests: ["gone.test.ts"] }), mutation({ id: "q", find: "secure: yes" })], readFake),
    ).toEqual([
      "m: the id is used twice",
      "n: STALE: its find text occurs 2 times in g.ts; make it unique",
      "o: STALE: h.ts does not exist",
      "p: test file __tests__/gone.test.ts does not exist",
      "q: STALE: its find text no longer occurs in f.ts",
    ]);
  });

  test("fails if --only names an unknown mutation", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "tools/mutate.ts", "--only", "nope"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`test:mutate: --only: "nope" is not a mutation id; run with --list`);
  });
});
