import type { Rule } from "../../rule";
import type { Block, StackIndex } from "../../terraform-json";
import { coversPort, docs, isAnywhere, isSet, isTrue, isWildcardPrincipal, nested, numberOf, rule, statements, strings, type Values } from "../helpers";

/** One ingress permission, from any of the three ways AWS writes security group rules. */
interface Permission {
  readonly sources: string[];
  readonly protocol: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly description: unknown;
  readonly where: string;
}

const INGRESS_TYPES = ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"];
const EGRESS_TYPES = ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_egress_rule"];

function permission(values: Values, where: string, cidrKeys: readonly string[], protocolKey: string): Permission {
  return {
    sources: cidrKeys.flatMap((k) => strings(values[k])),
    protocol: String(values[protocolKey] ?? ""),
    from: values.from_port,
    to: values.to_port,
    description: values.description,
    where,
  };
}

function permissions(block: Block, direction: "ingress" | "egress"): Permission[] {
  switch (block.type) {
    case "aws_security_group":
      return nested(block.values, direction).map((p, i) => permission(p, `${direction}[${i}]`, ["cidr_blocks", "ipv6_cidr_blocks"], "protocol"));
    case "aws_security_group_rule":
      return block.values.type === direction ? [permission(block.values, "rule", ["cidr_blocks", "ipv6_cidr_blocks"], "protocol")] : [];
    case "aws_vpc_security_group_ingress_rule":
      return direction === "ingress" ? [permission(block.values, "rule", ["cidr_ipv4", "cidr_ipv6"], "ip_protocol")] : [];
    case "aws_vpc_security_group_egress_rule":
      return direction === "egress" ? [permission(block.values, "rule", ["cidr_ipv4", "cidr_ipv6"], "ip_protocol")] : [];
    default:
      return [];
  }
}

const allProtocols = (p: Permission) => ["-1", "all"].includes(p.protocol);
const fromAnywhere = (p: Permission) => p.sources.some(isAnywhere);
const opensPort = (port: number) => (p: Permission) => fromAnywhere(p) && (allProtocols(p) || (["tcp", "6"].includes(p.protocol) && coversPort(p.from, p.to, port)));

function unrestrictedIngressRule(id: string, checkov: string, port: number, service: string): Rule {
  return rule({
    id,
    checkov,
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: INGRESS_TYPES,
    title: `Security groups allow no ${service} (port ${port}) from the internet`,
    rationale: `${service} open to 0.0.0.0/0 or ::/0 is scanned and brute-forced within minutes; administration goes through Session Manager or a bastion with a narrow source.`,
    docs: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    fix: `Narrow the source of the rule that covers port ${port} to known ranges, or remove it.`,
    check: (block) => permissions(block, "ingress").filter(opensPort(port)).map((p) => `${p.where} opens port ${port} to ${p.sources.filter(isAnywhere).join(", ")}`),
  });
}

function vpcsWithout(vpc: Block, stack: StackIndex, type: string, attribute: string): boolean {
  return stack.referencing(vpc, type, attribute).length === 0;
}

export const NETWORK_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-AWS-VPC-1",
    checkov: "CKV2_AWS_11",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_vpc"],
    title: "VPCs have flow logs",
    rationale: "Flow logs are the record of which addresses talked to which, needed to investigate any incident in the network.",
    docs: docs.aws("flow_log"),
    fix: "Add an aws_flow_log with vpc_id set to the VPC and traffic_type \"ALL\".",
    check: (vpc, stack) => (vpcsWithout(vpc, stack, "aws_flow_log", "vpc_id") ? "no aws_flow_log references this VPC" : undefined),
  }),
  rule({
    id: "SIROS-AWS-VPC-2",
    checkov: "CKV2_AWS_12",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_vpc"],
    title: "Every VPC's default security group allows no traffic",
    rationale: "Resources launched without a security group land in the default one; AWS creates it allowing all traffic between its members and all egress.",
    docs: docs.aws("default_security_group"),
    fix: "Manage the VPC's default security group with aws_default_security_group and no ingress or egress blocks.",
    check: (vpc, stack) => {
      const managed = stack.referencing(vpc, "aws_default_security_group", "vpc_id");
      if (managed.length === 0) return "the default security group is not managed (it keeps AWS's allow rules)";
      return managed.some((g) => nested(g.values, "ingress").length || nested(g.values, "egress").length) ? "the managed default security group has rules" : undefined;
    },
  }),
  rule({
    id: "SIROS-AWS-VPC-3",
    checkov: "CKV_AWS_130",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_subnet"],
    title: "Subnets do not give instances public IPs on launch",
    rationale: "An automatic public IP makes every instance in the subnet reachable from the internet; the edge uses load balancers instead.",
    docs: docs.aws("subnet"),
    fix: "Set map_public_ip_on_launch = false (and assign_ipv6_address_on_creation = false).",
    check: (subnet) => (isTrue(subnet.values.map_public_ip_on_launch) ? "map_public_ip_on_launch is true" : undefined),
  }),
  unrestrictedIngressRule("SIROS-AWS-VPC-4", "CKV_AWS_24", 22, "SSH"),
  unrestrictedIngressRule("SIROS-AWS-VPC-5", "CKV_AWS_25", 3389, "RDP"),
  rule({
    id: "SIROS-AWS-VPC-6",
    checkov: "CKV_AWS_277",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: INGRESS_TYPES,
    title: "Security groups allow no traffic on every port from the internet",
    rationale: "All protocols from 0.0.0.0/0 exposes every service an instance runs, including those meant for the VPC only.",
    docs: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    fix: "Allow only the ports the edge serves (e.g. 443), or narrow the source.",
    check: (block) => permissions(block, "ingress").filter((p) => fromAnywhere(p) && allProtocols(p)).map((p) => `${p.where} allows every protocol from the internet`),
  }),
  rule({
    id: "SIROS-AWS-VPC-7",
    level: "warning",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: INGRESS_TYPES,
    title: "Internet ingress is declared for the edge only",
    rationale: "Any rule open to 0.0.0.0/0 is an entry point; the project allows them only as declared public ingress of the edge, which this warning lists for review.",
    docs: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    fix: "Keep internet ingress to the edge's declared ports (environment publicIngress); suppress with the reason on the edge's rules.",
    check: (block) => permissions(block, "ingress").filter((p) => fromAnywhere(p) && !allProtocols(p)).map((p) => `${p.where} allows ${p.protocol} ${String(p.from)}-${String(p.to)} from the internet`),
  }),
  rule({
    id: "SIROS-AWS-VPC-8",
    checkov: "CKV_AWS_23",
    level: "warning",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: [...new Set([...INGRESS_TYPES, ...EGRESS_TYPES])],
    title: "Security groups and their rules have descriptions",
    rationale: "A rule without a description cannot be reviewed: nobody can tell what it is for.",
    docs: docs.aws("security_group"),
    fix: "Set description on the group and on every rule.",
    check: (block) => {
      const missing = [...permissions(block, "ingress"), ...permissions(block, "egress")].filter((p) => !isSet(p.description)).map((p) => `${p.where} has no description`);
      return block.type === "aws_security_group" && !isSet(block.values.description) ? ["the group has no description", ...missing] : missing;
    },
  }),
  rule({
    id: "SIROS-AWS-VPC-9",
    checkov: "CKV2_AWS_5",
    level: "warning",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_security_group"],
    title: "Security groups are attached to something",
    rationale: "An unattached group is dead configuration, or a sign the resource it was meant for uses another group.",
    docs: docs.aws("security_group"),
    fix: "Attach the group to the load balancer, instances or endpoints it is for, or remove it.",
    check: (group, stack) => {
      const ownRules = new Set(["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]);
      const users = stack.all().filter((b) => b.mode === "resource" && !ownRules.has(b.type) && stack.referencesFrom(b).some((r) => r.target === group));
      return users.length ? undefined : "no resource of this stack uses the group";
    },
  }),
  rule({
    id: "SIROS-AWS-VPC-10",
    checkov: "CKV_AWS_382",
    level: "warning",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: EGRESS_TYPES,
    title: "Security groups do not allow every protocol out to the internet",
    rationale: "Unrestricted egress lets a compromised workload reach anything; egress is narrowed to what the workload needs.",
    docs: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    fix: "Allow egress to the VPC, the endpoints and the ports the workload needs.",
    check: (block) => permissions(block, "egress").filter((p) => fromAnywhere(p) && allProtocols(p)).map((p) => `${p.where} allows every protocol to the internet`),
  }),
  rule({
    id: "SIROS-AWS-VPC-11",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_flow_log"],
    title: "Flow logs record all traffic",
    rationale: "ACCEPT-only or REJECT-only logs miss half of what an investigation needs.",
    docs: docs.aws("flow_log"),
    fix: "Set traffic_type = \"ALL\".",
    check: (log) => (log.values.traffic_type === "ALL" ? undefined : `traffic_type is ${JSON.stringify(log.values.traffic_type)}`),
  }),
  rule({
    id: "SIROS-AWS-LOGS-1",
    checkov: "CKV_AWS_158",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_cloudwatch_log_group"],
    title: "CloudWatch log groups are encrypted with a KMS key",
    rationale: "Logs hold addresses, identities and request data; a customer-managed key adds a key policy and an audit trail of every decryption.",
    docs: docs.aws("cloudwatch_log_group"),
    fix: "Set kms_key_id to the environment's key (its policy must allow logs.<region>.amazonaws.com).",
    check: (group) => (isSet(group.values.kms_key_id) ? undefined : "kms_key_id is not set"),
  }),
  rule({
    id: "SIROS-AWS-LOGS-2",
    checkov: "CKV_AWS_66",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_cloudwatch_log_group"],
    title: "CloudWatch log groups set a retention",
    rationale: "Without a retention logs are kept (and billed) forever; the retention is a decision each environment makes.",
    docs: docs.aws("cloudwatch_log_group"),
    fix: "Set retention_in_days (the environment's flow-log retention).",
    check: (group) => {
      const days = group.values.retention_in_days;
      return days === undefined || numberOf(days) === 0 ? "retention_in_days is not set (logs never expire)" : undefined;
    },
  }),
  rule({
    id: "SIROS-AWS-LOGS-3",
    checkov: "CKV_AWS_338",
    level: "warning",
    pack: "production",
    cloud: "aws",
    resourceTypes: ["aws_cloudwatch_log_group"],
    title: "Production CloudWatch log groups keep logs for at least a year",
    rationale: "Many compliance regimes ask for a year of logs; this project's retention is an environment knob, so this is a reminder, not a failure.",
    docs: docs.aws("cloudwatch_log_group"),
    fix: "Raise the environment's flow-log retention, or export the logs to an archive that keeps them a year.",
    check: (group) => {
      const days = numberOf(group.values.retention_in_days);
      return days !== undefined && days > 0 && days < 365 ? `retention_in_days is ${days}` : undefined;
    },
  }),
  rule({
    id: "SIROS-AWS-IAM-1",
    checkov: "CKV_AWS_60",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_iam_role"],
    title: "IAM roles can be assumed only by named principals",
    rationale: "A trust policy with Principal * lets any AWS account assume the role.",
    docs: docs.aws("iam_role"),
    fix: "Name the service, account or role in the trust policy's Principal, and narrow it with aws:SourceAccount / aws:SourceArn.",
    check: (role) =>
      statements(role.values.assume_role_policy).some((s) => s.Effect === "Allow" && isWildcardPrincipal(s.Principal)) ? "the trust policy allows Principal *" : undefined,
  }),
  rule({
    id: "SIROS-AWS-IAM-2",
    checkov: "CKV_AWS_63",
    level: "error",
    pack: "baseline",
    cloud: "aws",
    resourceTypes: ["aws_iam_role_policy", "aws_iam_policy"],
    title: "IAM policies do not allow every action",
    rationale: "Action * grants administrator rights on the resources named; least privilege lists the actions used.",
    docs: docs.aws("iam_role_policy"),
    fix: "List the actions the principal needs.",
    check: (policy) => (statements(policy.values.policy).some((s) => s.Effect === "Allow" && strings(s.Action).includes("*")) ? "an Allow statement has Action *" : undefined),
  }),
];

