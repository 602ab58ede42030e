import { stopAll } from "./processes";
import { startStateServers, type StateServers } from "./state-servers";
import { Workspace } from "./workspace";

export const BUCKET = "siros-e2e-state";
export const LOCK_TABLE = "siros-e2e-locks";

export interface E2e {
  readonly workspace: Workspace;
  readonly servers: StateServers;
}

/**
 * Gives a test file its own workspace and state servers, with the bucket and lock table
 * created. Whatever happens in the tests, afterAll ends every process group they started,
 * stops the servers and removes the workspace.
 */
export function useStateServers(name: string, extra: { buckets?: string[]; tables?: string[] } = {}): () => E2e {
  let context: E2e | undefined;
  let workspace: Workspace | undefined;
  let servers: StateServers | undefined;

  beforeAll(async () => {
    workspace = new Workspace(name);
    servers = await startStateServers(workspace.dir("s3rver"));
    for (const bucket of [BUCKET, ...(extra.buckets ?? [])]) await servers.createBucket(bucket);
    for (const table of [LOCK_TABLE, ...(extra.tables ?? [])]) await servers.createLockTable(table);
    context = { workspace, servers };
  }, 30_000);

  afterAll(async () => {
    await stopAll();
    await servers?.stop();
    workspace?.dispose();
  }, 30_000);

  return () => {
    if (!context) throw new Error("the state servers did not start; see the beforeAll failure above");
    return context;
  };
}

/** Parses a Terraform state object, failing with its text when it is not state JSON. */
export function parseState(text: string): TerraformState {
  const state = JSON.parse(text) as TerraformState;
  if (state.version !== 4 || typeof state.lineage !== "string") throw new Error(`not Terraform state:\n${text}`);
  return state;
}

export interface TerraformState {
  version: number;
  terraform_version: string;
  serial: number;
  lineage: string;
  resources: { mode: string; type: string; name: string; instances: { attributes: Record<string, any> }[] }[];
}

/** The marker's input in a fixture stack's state. */
export function markerInput(state: TerraformState): { stack: string; value: string } | undefined {
  const marker = state.resources.find((r) => r.type === "terraform_data" && r.name === "marker");
  return marker?.instances[0]?.attributes.input?.value;
}
