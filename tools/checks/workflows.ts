import { parse } from "yaml";

/**
 * Checks of the GitHub workflows that actionlint does not make: actions pinned by commit,
 * the token's permissions, and that no job which can obtain a cloud token runs install scripts.
 */
export interface Workflow {
  readonly permissions?: unknown;
  readonly jobs: Readonly<Record<string, Job>>;
}

export interface Job {
  readonly permissions?: Readonly<Record<string, string>> | string;
  readonly "timeout-minutes"?: number;
  readonly uses?: string;
  readonly steps?: readonly Step[];
}

export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly "timeout-minutes"?: number;
}

export const parseWorkflow = (text: string): Workflow => parse(text) as Workflow;

/** A remote action pinned by a full commit SHA, with the release tag as a trailing comment. */
const PINNED = /^\s*(?:-\s+)?uses:\s+([\w.-]+\/[\w./-]+)@([0-9a-f]{40})\s+#\s+(v\d+\.\d+\.\d+)\s*$/;
const USES = /^\s*(?:-\s+)?uses:\s+(\S+)/;

/** Every `uses:` line that is not a local workflow and not pinned by SHA with its tag in a comment. */
export function unpinnedActions(text: string): string[] {
  return text
    .split("\n")
    .map((line, i) => ({ line, number: i + 1 }))
    .filter(({ line }) => USES.test(line) && !USES.exec(line)![1].startsWith("./"))
    .filter(({ line }) => !PINNED.test(line))
    .map(({ line, number }) => `line ${number}: ${line.trim()}`);
}

/** Jobs that may request an OIDC token (and so a cloud role). */
export function tokenJobs(workflow: Workflow): string[] {
  return Object.entries(workflow.jobs)
    .filter(([, job]) => typeof job.permissions === "object" && job.permissions["id-token"] === "write")
    .map(([name]) => name);
}

/** Problems with a job that can get a cloud token: install scripts, or authenticating before the install. */
export function tokenJobProblems(name: string, job: Job): string[] {
  const steps = job.steps ?? [];
  const problems: string[] = [];
  const installs = steps.map((s, i) => ({ s, i })).filter(({ s }) => /\bnpm (ci|install)\b/.test(s.run ?? ""));
  for (const { s } of installs) {
    if (!/--ignore-scripts\b/.test(s.run!)) problems.push(`${name}: "${s.run!.trim()}" runs install scripts in a job that can get a cloud token`);
  }
  const firstAuth = steps.findIndex((s) => /configure-aws-credentials|azure\/login|google-github-actions\/auth/.test(s.uses ?? ""));
  const lastInstall = Math.max(-1, ...installs.map(({ i }) => i));
  if (firstAuth >= 0 && firstAuth < lastInstall) problems.push(`${name}: authenticates (step ${firstAuth + 1}) before installing (step ${lastInstall + 1})`);
  if (steps.some((s) => /npm run synth|cdktf synth/.test(s.run ?? ""))) problems.push(`${name}: synthesizes in a job that can get a cloud token`);
  return problems;
}
