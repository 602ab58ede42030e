import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { DEFAULTS, parseOptions } from "../tools/diff/options";

const root = join(__dirname, "..");

describe("npm run diff options", () => {
  test("defaults: every stack, 2 at a time, 5m lock timeout, 1800 s timeout, 120 s kill grace, locking", () => {
    expect(parseOptions([])).toEqual({
      help: false,
      stacks: undefined,
      parallel: 2,
      outdir: undefined,
      json: undefined,
      markdown: undefined,
      noLock: false,
      lockTimeout: "5m",
      timeoutSeconds: 1800,
      killGraceSeconds: 120,
    });
    expect(DEFAULTS).toEqual({ parallel: 2, lockTimeout: "5m", timeoutSeconds: 1800, killGraceSeconds: 120 });
  });

  test("reads every option, inline values too, and repeated --stacks", () => {
    expect(
      parseOptions(["--stacks", "aws-dev,gcp-prod", "--stacks=aws-dev,oci-dr", "--parallel=4", "--json", "out/diff.json", "--markdown", "diff.md", "--outdir", "cdktf.out", "--lock-timeout", "1m30s", "--timeout", "60", "--kill-grace", "30", "-h"]),
    ).toEqual({
      help: true,
      stacks: ["aws-dev", "gcp-prod", "oci-dr"],
      parallel: 4,
      outdir: "cdktf.out",
      json: "out/diff.json",
      markdown: "diff.md",
      noLock: false,
      lockTimeout: "1m30s",
      timeoutSeconds: 60,
      killGraceSeconds: 30,
    });
    expect(parseOptions(["--no-lock"]).noLock).toBe(true);
  });

  test.each(["0", "30s", "5m", "1m30s", "1h2m3s", "1.5h", "500ms", "250us", "250µs", "10ns", ".5s"])("accepts the Terraform duration %s for --lock-timeout", (value) => {
    expect(parseOptions(["--lock-timeout", value]).lockTimeout).toBe(value);
  });

  test.each<[string[], string]>([
    [["--json", "--markdown", "x"], `--json needs a value, got the option that follows it instead (write --json=VALUE for a value starting with "-")`],
    [["--json=--markdown"], `--json: "--markdown" is not a path; name a file or folder (use ./--markdown for a name starting with "-")`],
    [["--markdown", ""], `--markdown: "" is not a path; name a file or folder (use ./NAME for a name starting with "-")`],
    [["--outdir="], `--outdir: "" is not a path; name a file or folder (use ./NAME for a name starting with "-")`],
    [["--json"], "--json needs a value"],
    [["--bogus"], `unknown option "--bogus"`],
    [["aws-dev"], `unexpected argument "aws-dev"; every argument is an --option`],
    [["--no-lock=yes"], "--no-lock takes no value"],
    [["--help=1"], "--help takes no value"],
    [["--parallel", "0"], `--parallel: "0" is not a whole number from 1 to 64`],
    [["--parallel", "65"], `--parallel: "65" is not a whole number from 1 to 64`],
    [["--parallel", "2.5"], `--parallel: "2.5" is not a whole number from 1 to 64`],
    [["--parallel=-1"], `--parallel: "-1" is not a whole number from 1 to 64`],
    [["--parallel", "1", "--parallel", "2"], "--parallel is given more than once"],
    [["--json", "a.json", "--json", "b.json"], "--json is given more than once"],
    [["--timeout", "0"], `--timeout: "0" is not a whole number from 1 to 86400`],
    [["--timeout", "1e3"], `--timeout: "1e3" is not a whole number from 1 to 86400`],
    [["--kill-grace", "0"], `--kill-grace: "0" is not a whole number from 1 to 3600`],
    [["--kill-grace", "ten"], `--kill-grace: "ten" is not a whole number from 1 to 3600`],
    [["--lock-timeout", "90"], `--lock-timeout: "90" is not a Terraform duration; use a number and unit (ms, s, m, h), pairs allowed, e.g. 30s, 5m, 1m30s`],
    [["--lock-timeout", "5 m"], `--lock-timeout: "5 m" is not a Terraform duration; use a number and unit (ms, s, m, h), pairs allowed, e.g. 30s, 5m, 1m30s`],
    [["--lock-timeout", "1d"], `--lock-timeout: "1d" is not a Terraform duration; use a number and unit (ms, s, m, h), pairs allowed, e.g. 30s, 5m, 1m30s`],
    [["--no-lock", "--lock-timeout", "1m"], "--lock-timeout and --no-lock exclude each other: without a lock there is nothing to wait for"],
    [["--stacks", "aws-dev,,gcp-prod"], `--stacks: "" is not a stack id; give a comma list such as aws-dev,gcp-prod`],
    [["--stacks", "aws dev"], `--stacks: "aws dev" is not a stack id; give a comma list such as aws-dev,gcp-prod`],
  ])("fails if given %j", (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(message);
    try {
      parseOptions(argv);
    } catch (error) {
      expect((error as Error).message).toBe(message);
    }
  });

  test("fails through the real command with the message, a pointer to --help, exit 1 and no file written", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "tools/diff.ts", "--json", "--markdown", "x"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe(
      `diff: --json needs a value, got the option that follows it instead (write --json=VALUE for a value starting with "-")\nRun "npm run diff -- --help" for the options.\n`,
    );
    expect(run.stdout).toBe("");
    expect(run.status).toBe(1);
  });
});

describe("npm run get options", () => {
  test.each<[string[], string]>([
    [["--bogus"], `get: unknown option "--bogus"`],
    [["check"], `get: unexpected argument "check"; every argument is an --option`],
    [["--check=yes"], "get: --check takes no value"],
  ])("fails if given %j, writing nothing", (argv, message) => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "tools/get.ts", ...argv], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toContain(`${message}\nUsage: npm run get [-- --check]\n`);
    expect(run.stdout).not.toContain("Generated bindings");
    expect(run.status).toBe(1);
  });
});
