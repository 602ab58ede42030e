import type { KubernetesCloud, NodeSize } from "./contract";

/** Each cloud's machine for a neutral size: about 2, 4 and 8 vCPUs with 4 GiB per vCPU. */
export const MACHINE_TYPES: Readonly<Record<KubernetesCloud, Readonly<Record<NodeSize, string>>>> = {
  aws: { small: "m6i.large", medium: "m6i.xlarge", large: "m6i.2xlarge" },
  azure: { small: "Standard_D2s_v5", medium: "Standard_D4s_v5", large: "Standard_D8s_v5" },
  gcp: { small: "n2-standard-2", medium: "n2-standard-4", large: "n2-standard-8" },
  // Flexible shape: 1 OCPU is 2 vCPUs.
  oci: { small: "VM.Standard.E5.Flex:1:8", medium: "VM.Standard.E5.Flex:2:16", large: "VM.Standard.E5.Flex:4:32" },
  ibm: { small: "bx2.2x8", medium: "bx2.4x16", large: "bx2.8x32" },
};

/** Spot-friendly alternatives of the same size (EKS spot node groups take several types). */
export const AWS_SPOT_TYPES: Readonly<Record<NodeSize, readonly string[]>> = {
  small: ["m6i.large", "m6a.large", "m5.large"],
  medium: ["m6i.xlarge", "m6a.xlarge", "m5.xlarge"],
  large: ["m6i.2xlarge", "m6a.2xlarge", "m5.2xlarge"],
};
