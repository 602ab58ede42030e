import { execFile } from "node:child_process";

/** use_lockfile (S3 lock files), which the suite exercises, arrived in Terraform 1.10. */
export const MINIMUM_TERRAFORM = "1.10.0";

const INSTALL_HINT =
  "Install Terraform 1.10 or later (the project is tested with 1.11) so that `terraform` is on PATH: " +
  "see https://developer.hashicorp.com/terraform/install (on Debian/Ubuntu, HashiCorp's apt repository " +
  "provides `apt-get install terraform`), then run `npm run test:e2e` again.";

/**
 * Why the Terraform CLI on PATH cannot run the suite, or undefined when it can. The suite
 * must fail, never skip, without it: a skipped end-to-end suite proves nothing.
 */
export async function terraformProblem(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const found = await new Promise<{ error?: Error; stdout: string }>((resolve) =>
    execFile("terraform", ["version", "-json"], { env, timeout: 30_000 }, (error, stdout) => resolve({ error: error ?? undefined, stdout })),
  );
  if (found.error) {
    return `The end-to-end suite drives the real Terraform CLI, and it could not run \`terraform\` (${found.error.message.split("\n")[0]}). ${INSTALL_HINT}`;
  }
  const version = String(JSON.parse(found.stdout).terraform_version ?? "");
  if (compareVersions(version, MINIMUM_TERRAFORM) < 0) {
    return `The end-to-end suite needs Terraform ${MINIMUM_TERRAFORM} or later; \`terraform\` on PATH is ${version || "of unknown version"}. ${INSTALL_HINT}`;
  }
  return undefined;
}

export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split("-")[0].split(".").map((n) => Number(n) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
