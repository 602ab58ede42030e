import { join } from "node:path";

/** Where the schema excerpts live and which providers are generated from them. */
export const ROOT = join(__dirname, "..", "..");
export const SCHEMA_DIR = join(ROOT, "providers", "schemas");
export const GENERATED_PROVIDERS = ["oci", "ibm"] as const;
