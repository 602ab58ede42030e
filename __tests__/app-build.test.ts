import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyProject, type ProjectCopy } from "./support/project-copy";

/** tools/app.js as loaded from a project copy, so it builds and checks that copy. */
interface AppTool {
  bundlePath(entry: string): string;
  isFresh(entry: string): boolean;
  readRecord(bundle: string): { key: string; inputs: Record<string, string> } | undefined;
}

/** Every stack's cdk.tf.json of a synth output, keyed by stack id. */
function stackFiles(outdir: string): Record<string, string> {
  const stacks = join(outdir, "stacks");
  return Object.fromEntries(readdirSync(stacks).map((id) => [id, readFileSync(join(stacks, id, "cdk.tf.json"), "utf8")]));
}

/** Adds a tag to every environment by appending to environments/defaults.ts of the copy. */
function tagEveryStack(project: ProjectCopy, value: string): void {
  appendFileSync(join(project.dir, "environments", "defaults.ts"), `\n(SHARED_DEFAULTS.tags as Record<string, string>)["edited"] = "${value}";\n`);
}

/**
 * One stack is enough to see a build's effect (every stack is built from the same sources); the
 * project's full synth through the app is project-stacks.test.ts's and main.test.ts's.
 */
const ONE_STACK = { SIROS_CLOUDS: "aws", SIROS_ENVS: "dev" };

describe("the precompiled app (tools/app.js)", () => {
  let project: ProjectCopy;
  let app: AppTool;
  beforeAll(() => {
    project = copyProject();
    const built = project.run("node tools/app.js main.ts", { ...ONE_STACK, CDKTF_OUTDIR: "first.out" });
    expect(built.stderr).toBe("");
    expect(built.status).toBe(0);
    app = require(join(project.dir, "tools", "app.js")) as AppTool;
  });
  afterAll(() => project.remove());

  test("records every file the bundle was built from, with tsconfig.json and package.json", () => {
    const record = app.readRecord(app.bundlePath("main.ts"))!;
    const inputs = Object.keys(record.inputs);
    expect(inputs).toEqual(expect.arrayContaining(["main.ts", "tsconfig.json", "package.json", "stacks/siros-stack.ts", "environments/defaults.ts"]));
    expect(inputs.some((file) => file.startsWith(".gen/providers/oci/"))).toBe(true);
    expect(inputs.some((file) => file.startsWith(".gen/providers/ibm/"))).toBe(true);
    // Packages stay external: node_modules is loaded at run time, not built in.
    expect(inputs.filter((file) => file.includes("node_modules"))).toEqual([]);
  });

  test("reuses a fresh bundle without rebuilding it", () => {
    const bundle = app.bundlePath("main.ts");
    const before = statSync(bundle);
    const run = project.run("node tools/app.js main.ts", { ...ONE_STACK, CDKTF_OUTDIR: "again.out" });
    expect(run.status).toBe(0);
    expect(statSync(bundle).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(bundle).ino).toBe(before.ino);
  });

  test("is stale after a change to any single input, and fresh again once it is undone", () => {
    expect(app.isFresh("main.ts")).toBe(true);
    const inputs = Object.keys(app.readRecord(app.bundlePath("main.ts"))!.inputs);
    const missed = inputs.filter((file) => {
      const path = join(project.dir, file);
      const original = readFileSync(path);
      writeFileSync(path, Buffer.concat([original, Buffer.from("\n")]));
      const fresh = app.isFresh("main.ts");
      writeFileSync(path, original);
      return fresh;
    });
    expect(missed).toEqual([]);
    expect(app.isFresh("main.ts")).toBe(true);
  });

  test("is stale when an input was deleted", () => {
    const file = join(project.dir, "stacks", "selection.ts");
    const original = readFileSync(file);
    rmSync(file);
    try {
      expect(app.isFresh("main.ts")).toBe(false);
    } finally {
      writeFileSync(file, original);
    }
    expect(app.isFresh("main.ts")).toBe(true);
  });

  test("is stale when the build settings change (tools/app.js itself)", () => {
    const tool = join(project.dir, "tools", "app.js");
    const original = readFileSync(tool, "utf8");
    writeFileSync(tool, `${original}\n// another setting\n`);
    try {
      // A fresh require of the edited copy computes its own key.
      jest.isolateModules(() => expect((require(tool) as AppTool).isFresh("main.ts")).toBe(false));
    } finally {
      writeFileSync(tool, original);
    }
  });

  // The same after cdktf synth (the CLI runs the same app command) is an e2e test: synth-command.e2e.test.ts.
  test("an edit shows in the next npm run synth", () => {
    tagEveryStack(project, "first-edit");
    const npm = project.run("npm run synth -- --output npm.out", ONE_STACK);
    expect(npm.status).toBe(0);
    expect(stackFiles(join(project.dir, "npm.out"))).toEqual({ "aws-dev": expect.stringContaining("first-edit") });

    tagEveryStack(project, "second-edit");
    const again = project.run("npm run synth -- --output npm.out", ONE_STACK);
    expect(again.status).toBe(0);
    expect(stackFiles(join(project.dir, "npm.out"))).toEqual({ "aws-dev": expect.stringContaining("second-edit") });
  });

  test("fails if a source does not compile: exit 1, esbuild's message, nothing written; the fix builds again", () => {
    const file = join(project.dir, "stacks", "selection.ts");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, `${original}\nexport const broken = ;\n`);
    const failed = project.run("node tools/app.js main.ts", { ...ONE_STACK, CDKTF_OUTDIR: "broken.out" });
    writeFileSync(file, original);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("stacks/selection.ts");
    expect(failed.stderr).toContain("siros: could not compile main.ts (esbuild's errors above); nothing was synthesized");
    expect(existsSync(join(project.dir, "broken.out"))).toBe(false);

    const fixed = project.run("node tools/app.js main.ts", { ...ONE_STACK, CDKTF_OUTDIR: "fixed.out" });
    expect(fixed.status).toBe(0);
    expect(readdirSync(join(project.dir, "fixed.out", "stacks"))).toEqual(["aws-dev"]);
  });

  test.each([
    ["no entry", "", "usage: node tools/app.js <entry.ts>"],
    ["an entry outside the project", "../elsewhere.ts", `siros: "../elsewhere.ts" is not a file of this project`],
    ["a missing entry", "nothing-here.ts", `siros: "nothing-here.ts" is not a file of this project`],
  ])("fails if given %s", (_case, entry, message) => {
    const run = project.run(`node tools/app.js ${entry}`, { CDKTF_OUTDIR: "refused.out" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(message);
    expect(existsSync(join(project.dir, "refused.out"))).toBe(false);
  });
});

describe("the packages' inline source maps (tools/app.js)", () => {
  const { withoutInlineSourceMap } = require(join(__dirname, "..", "tools", "app.js")) as { withoutInlineSourceMap(source: string): string };
  const MAP = "//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==";

  test("drops a compiled file's trailing inline map, and only that line", () => {
    expect(withoutInlineSourceMap(`"use strict";\nexports.a = 1;\n${MAP}`)).toBe(`"use strict";\nexports.a = 1;\n`);
    expect(withoutInlineSourceMap(`exports.a = 1;\n${MAP}\n`)).toBe(`exports.a = 1;\n`);
  });

  test("leaves a file alone when the map is not its last line, is a linked file, or is missing", () => {
    for (const source of [`exports.a = 1;\n${MAP}\nexports.b = 2;\n`, "exports.a = 1;\n//# sourceMappingURL=index.js.map\n", "exports.a = 1;\n"]) {
      expect(withoutInlineSourceMap(source)).toBe(source);
    }
  });

  test("a package the app loads really ends with one (what the loader saves)", () => {
    const source = readFileSync(require.resolve("cdktf/lib/tokens/private/intrinsic.js"), "utf8");
    expect(source.trimEnd().split("\n").pop()).toMatch(/^\/\/# sourceMappingURL=data:application\/json;base64,/);
    expect(withoutInlineSourceMap(source).length).toBeLessThan(source.length / 2);
  });
});
