import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { countOf, environments, referenceTo, resources, synthStack as synthWholeStack, withoutModule, unordered } from "./support/synth";

/** Every rule carries the environment's cost-allocation tags (cost-allocation-tags.test.ts). */
const prodTags = environments.prod.tags;

/** The network as composed, without the edge (which adds security groups, log groups and public IPs of its own). */
const synthStack = (...args: Parameters<typeof synthWholeStack>) => withoutModule(synthWholeStack(...args), "edge");

/** The network module's own blocks (the stack also holds the Kubernetes module's `<env>-k8s` roles and log group). */
const inNetwork = (block: Record<string, any>): boolean => !String(block.name).includes("-k8s") && !String(block.name).includes("-pg");

describe("AWS network", () => {
  const prod = synthStack("aws", "prod");
  const dev = synthStack("aws", "dev");

  test("is a VPC with DNS support on the environment's range", () => {
    expect(prod.json).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.2.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  test("has a public and a private subnet in each zone, none giving out public IPs", () => {
    const subnets = resources(prod.tf, "aws_subnet");
    const byTier = (tier: string) => subnets.filter((s) => s.tags.tier === tier);
    expect(byTier("public").map((s) => s.cidr_block)).toEqual(["10.2.128.0/22", "10.2.132.0/22", "10.2.136.0/22"]);
    expect(byTier("private").map((s) => s.cidr_block)).toEqual(["10.2.0.0/19", "10.2.32.0/19", "10.2.64.0/19"]);
    for (const tier of ["public", "private"]) {
      expect(byTier(tier).map((s) => s.availability_zone)).toEqual(
        [0, 1, 2].map((i) => expect.stringMatching(new RegExp(`^\\$\\{element\\(data\\.aws_availability_zones\\.[^.]+\\.names, ${i}\\)\\}$`))),
      );
    }
    for (const subnet of subnets) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  test("routes the public tier through the internet gateway", () => {
    const igw = referenceTo(prod.tf, "aws_internet_gateway", () => true);
    const publicRoutes = resources(prod.tf, "aws_route").filter((r) => r.gateway_id === igw);
    expect(publicRoutes).toEqual([expect.objectContaining({ destination_cidr_block: "0.0.0.0/0" })]);
    expect(countOf(prod.tf, "aws_route_table_association")).toBe(6);
  });

  test("prod has a NAT gateway with its own address in every zone, each private zone using its own", () => {
    expect(countOf(prod.tf, "aws_nat_gateway")).toBe(3);
    expect(countOf(prod.tf, "aws_eip")).toBe(3);
    for (const eip of resources(prod.tf, "aws_eip")) expect(eip.domain).toBe("vpc");
    const natRoutes = resources(prod.tf, "aws_route").map((r) => r.nat_gateway_id).filter(Boolean);
    expect(new Set(natRoutes).size).toBe(3);
    const publicSubnetIds = resources(prod.tf, "aws_nat_gateway").map((n) => n.subnet_id);
    for (const [i, id] of publicSubnetIds.entries()) {
      expect(id).toBe(referenceTo(prod.tf, "aws_subnet", (s) => s.tags.Name === `siros-prod-public-${i}`));
    }
  });

  test("dev shares a single NAT gateway across both zones", () => {
    expect(countOf(dev.tf, "aws_subnet")).toBe(4);
    expect(countOf(dev.tf, "aws_nat_gateway")).toBe(1);
    const nat = referenceTo(dev.tf, "aws_nat_gateway", () => true);
    const natRoutes = resources(dev.tf, "aws_route").filter((r) => r.nat_gateway_id);
    expect(natRoutes.map((r) => r.nat_gateway_id)).toEqual([nat, nat]);
  });

  test("manages the default security group with no rules, so it allows nothing", () => {
    const [group] = resources(prod.tf, "aws_default_security_group");
    expect(group.vpc_id).toBe(referenceTo(prod.tf, "aws_vpc", () => true));
    expect(group).not.toHaveProperty("ingress");
    expect(group).not.toHaveProperty("egress");
  });

  test("opens only the declared public ingress, and lets it out only to the VPC", () => {
    const group = referenceTo(prod.tf, "aws_security_group", inNetwork);
    // The database's rule (nodes to PostgreSQL) is tested in database-aws.test.ts.
    const networkRules = resources(prod.tf, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port !== 5432);
    expect(unordered(networkRules)).toEqual(
      unordered([
        { security_group_id: group, description: "HTTPS to public load balancers", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0", tags: prodTags },
        { security_group_id: group, description: "HTTP to public load balancers, which only redirect it to HTTPS", ip_protocol: "tcp", from_port: 80, to_port: 80, cidr_ipv4: "0.0.0.0/0", tags: prodTags },
      ]),
    );
    const [publicIngress] = resources(prod.tf, "aws_security_group");
    // Rules only as rule resources: the provider documents that inline rules and rule resources must not be mixed.
    expect(publicIngress).not.toHaveProperty("ingress");
    expect(publicIngress).not.toHaveProperty("egress");
    expect(resources(prod.tf, "aws_vpc_security_group_egress_rule")).toEqual([
      { security_group_id: group, description: "To targets inside the VPC", ip_protocol: "-1", cidr_ipv4: "10.2.0.0/16", tags: prodTags },
    ]);
  });

  test("sends all VPC flow logs to a log group kept for the environment's retention", () => {
    expect(prod.json).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 180 });
    expect(dev.json).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 30 });
    expect(prod.json).toHaveResourceWithProperties(FlowLog, {
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: referenceTo(prod.tf, "aws_cloudwatch_log_group", inNetwork, "arn"),
      iam_role_arn: referenceTo(prod.tf, "aws_iam_role", inNetwork, "arn"),
    });
  });

  test("the flow-log role can be assumed only by this account's flow logs and writes only its log group", () => {
    const [role] = resources(prod.tf, "aws_iam_role").filter(inNetwork);
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: expect.objectContaining({ StringEquals: { "aws:SourceAccount": expect.stringContaining("account_id") } }),
      }),
    ]);
    const [policy] = resources(prod.tf, "aws_iam_role_policy");
    const statements = JSON.parse(policy.policy).Statement;
    const logGroupArn = referenceTo(prod.tf, "aws_cloudwatch_log_group", inNetwork, "arn");
    expect(statements[0]).toEqual({
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: `${logGroupArn}:*`,
    });
    for (const statement of statements) expect(statement.Resource).not.toBe("*");
  });

  test("the provider tags every resource with the environment's tags", () => {
    expect(prod.json).toHaveProviderWithProperties(AwsProvider, {
      region: "eu-west-1",
      default_tags: [{ tags: { project: "siros", environment: "prod", owner: "platform-team", "cost-center": "cc-platform", "managed-by": "cdktf" } }],
    });
  });
});
