import type { Rule } from "../../rule";
import { KMS_SECRETS_STORAGE_RULES } from "./kms-secrets-storage";
import { NETWORK_RULES } from "./network";
import { PLATFORM_RULES } from "./platform";
import { OBSERVABILITY_RULES } from "./observability";

export const GCP_RULES: readonly Rule[] = [...NETWORK_RULES, ...KMS_SECRETS_STORAGE_RULES, ...PLATFORM_RULES, ...OBSERVABILITY_RULES];
