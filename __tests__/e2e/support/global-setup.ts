import { terraformProblem } from "./terraform-cli";

/** Jest's globalSetup: the suite fails with install instructions rather than skipping. */
export default async function requireTerraform(): Promise<void> {
  const problem = await terraformProblem({ ...process.env, CHECKPOINT_DISABLE: "1" });
  if (problem) throw new Error(problem);
}
