import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HELP, parseParityOptions, runParity } from "../../parity/main";
import { synthProject } from "./support";

const refusal = (argv: string[]) => {
  const outcome = runParity(argv);
  expect(outcome.exitCode).toBe(2);
  expect(outcome.stdout).toBe("");
  return outcome.stderr;
};
const hint = `\nRun "npm run parity -- --help" for the options.\n`;

describe("parity options", () => {
  test("defaults: cdktf.out, no files, drift does not fail", () => {
    expect(parseParityOptions([])).toEqual({ help: false, dir: "cdktf.out", json: undefined, html: undefined, failOnDrift: false });
    expect(parseParityOptions(["--dir", "out", "--json", "p.json", "--html", "p.html", "--fail-on-drift"])).toEqual({ help: false, dir: "out", json: "p.json", html: "p.html", failOnDrift: true });
  });

  test("--help prints the help and exits 0", () => {
    expect(runParity(["--help"])).toEqual({ exitCode: 0, stdout: `${HELP}\n`, stderr: "" });
  });

  test("fails if an option is unknown", () => {
    expect(refusal(["--format", "x"])).toBe(`parity: unknown option "--format"${hint}`);
  });

  test("fails if an argument is positional", () => {
    expect(refusal(["cdktf.out"])).toBe(`parity: unexpected argument "cdktf.out"; every argument is an --option${hint}`);
  });

  test("fails if a value is missing or is the next option", () => {
    expect(refusal(["--json"])).toBe(`parity: --json needs a value${hint}`);
    expect(refusal(["--html", "--fail-on-drift"])).toBe(`parity: --html needs a value, got the option that follows it instead (write --html=VALUE for a value starting with "-")${hint}`);
  });

  test("fails if a value is empty", () => {
    expect(refusal(["--dir", ""])).toBe(`parity: --dir needs a value${hint}`);
  });

  test("fails if an option is given twice", () => {
    expect(refusal(["--dir", "a", "--dir", "b"])).toBe(`parity: --dir is given more than once${hint}`);
  });

  test("fails if a flag gets a value", () => {
    expect(refusal(["--fail-on-drift=yes"])).toBe(`parity: --fail-on-drift takes no value${hint}`);
  });

  test("fails if the output folder does not exist or holds no stack, writing nothing", () => {
    const empty = mkdtempSync(join(tmpdir(), "parity-empty-"));
    try {
      expect(refusal(["--dir", join(empty, "missing"), "--json", join(empty, "p.json")])).toBe(
        `parity: ${join(empty, "missing")}: no such folder (run \`npm run synth\` first, or pass --dir with a cdktf output folder)\n`,
      );
      expect(refusal(["--dir", empty])).toBe(`parity: ${empty}: no stacks found (neither manifest.json nor stacks/*/cdk.tf.json)\n`);
      expect(existsSync(join(empty, "p.json"))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("parity outputs", () => {
  let project: string;
  let out: string;
  beforeAll(() => {
    project = synthProject();
    out = mkdtempSync(join(tmpdir(), "parity-out-"));
  });
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  test("writes the JSON and the page where asked, and prints the table", () => {
    const json = join(out, "sub", "parity.json");
    const html = join(out, "parity.html");
    const outcome = runParity(["--dir", project, "--json", json, "--html", html]);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stderr).toBe(`parity: written ${json}\nparity: written ${html}\n`);
    expect(outcome.stdout).toMatch(/^== Network\nproperty +env +aws +azure +gcp +oci +ibm\n/);
    expect(outcome.stdout).toContain("parity: 880 cells: ");
    const report = JSON.parse(readFileSync(json, "utf8")) as { counts: Record<string, number>; cells: { stack: string; property: string; display: string; state: string }[] };
    expect(report.counts.drift).toBe(0);
    expect(report.cells.find((c) => c.stack === "ibm-dev" && c.property === "nat")).toMatchObject({ display: "per-zone", state: "gap" });
    const page = readFileSync(html, "utf8");
    expect(page).not.toMatch(/<script|<link|src=|https?:/);
    expect(page.match(/<td class="cell /g)).toHaveLength(880);
    expect(page).toContain(`data-property="flowLogRetentionDays" data-environment="staging" data-cloud="aws" data-state="declared"`);
  });
});
