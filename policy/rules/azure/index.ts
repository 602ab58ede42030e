import type { Rule } from "../../rule";
import { KEY_VAULT_RULES } from "./key-vault";
import { NETWORK_RULES } from "./network";
import { OBSERVABILITY_RULES } from "./observability";
import { PLATFORM_RULES } from "./platform";
import { STORAGE_RULES } from "./storage";

export const AZURE_RULES: readonly Rule[] = [...KEY_VAULT_RULES, ...STORAGE_RULES, ...NETWORK_RULES, ...PLATFORM_RULES, ...OBSERVABILITY_RULES];
