import type { Rule } from "../../rule";
import { NETWORK_RULES } from "./network";
import { S3_RULES } from "./s3";
import { PLATFORM_RULES } from "./platform";
import { STATE_KEY_RULES } from "./state-keys";
import { OBSERVABILITY_RULES } from "./observability";

export const AWS_RULES: readonly Rule[] = [...S3_RULES, ...STATE_KEY_RULES, ...NETWORK_RULES, ...PLATFORM_RULES, ...OBSERVABILITY_RULES];
