import type { Rule } from "../rule";
import { AWS_RULES } from "./aws";
import { AZURE_RULES } from "./azure";
import { GCP_RULES } from "./gcp";
import { IBM_RULES } from "./ibm";
import { OCI_RULES } from "./oci";

/** Every rule of the pack, cloud by cloud. */
export const RULES: readonly Rule[] = [...AWS_RULES, ...AZURE_RULES, ...GCP_RULES, ...OCI_RULES, ...IBM_RULES];
