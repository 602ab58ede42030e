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

describe("the precompiled app (tools/app.js)", () => {
  let project: ProjectCopy;
  let app: AppTool;
  beforeAll(() => {
    project = copyProject();
    const built = project.run("node tools/app.js main.ts", { CDKTF_OUTDIR: "first.out" });
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
    const run = project.run("node tools/app.js main.ts", { CDKTF_OUTDIR: "again.out" });
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

  test("an edit shows in the next npm run synth and the next cdktf synth", () => {
    tagEveryStack(project, "first-edit");
    const npm = project.run("npm run synth -- --output npm.out");
    expect(npm.status).toBe(0);
    const npmStacks = stackFiles(join(project.dir, "npm.out"));
    expect(Object.keys(npmStacks)).toHaveLength(20);
    for (const json of Object.values(npmStacks)) expect(json).toContain("first-edit");

    tagEveryStack(project, "second-edit");
    const cli = project.run("node_modules/.bin/cdktf synth --output cli.out");
    expect(cli.status).toBe(0);
    const cliStacks = stackFiles(join(project.dir, "cli.out"));
    expect(Object.keys(cliStacks)).toHaveLength(20);
    for (const json of Object.values(cliStacks)) expect(json).toContain("second-edit");
  });

  test("fails if a source does not compile: exit 1, esbuild's message, nothing written; the fix builds again", () => {
    const file = join(project.dir, "stacks", "selection.ts");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, `${original}\nexport const broken = ;\n`);
    const failed = project.run("node tools/app.js main.ts", { CDKTF_OUTDIR: "broken.out" });
    writeFileSync(file, original);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("stacks/selection.ts");
    expect(failed.stderr).toContain("siros: could not compile main.ts (esbuild's errors above); nothing was synthesized");
    expect(existsSync(join(project.dir, "broken.out"))).toBe(false);

    const fixed = project.run("node tools/app.js main.ts", { CDKTF_OUTDIR: "fixed.out" });
    expect(fixed.status).toBe(0);
    expect(readdirSync(join(project.dir, "fixed.out", "stacks"))).toHaveLength(20);
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
