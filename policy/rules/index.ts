import type { Rule } from "../rule";
import { AWS_RULES } from "./aws";

/** Every rule of the pack, cloud by cloud. */
export const RULES: readonly Rule[] = [...AWS_RULES];
