import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { AutoscalingAttachment } from "@cdktf/provider-aws/lib/autoscaling-attachment";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import {
  edgeName,
  HTTP_PORT,
  HTTPS_PORT,
  INGRESS_HEALTH_PATH,
  resolveEdgeProps,
  storedCertificate,
  type Edge,
  type EdgeOutputs,
  type EdgeProps,
  type MinTlsVersion,
  type ResolvedEdgeProps,
} from "./contract";
import { globalName } from "../shared/global-name";
import { suppress, suppressUnprotected } from "../shared/suppress";
import { nameTagged } from "../shared/tags";

export interface AwsEdgeProps extends EdgeProps {
  /** ARN of the environment's KMS key (modules/keys), which encrypts the WAF log group; CloudWatch Logs must be granted it. */
  readonly logKeyArn: string;
}

/** ELB's predefined policies: TLS 1.3 offered with a 1.2 floor, or TLS 1.3 only. */
export const AWS_TLS_POLICIES: Readonly<Record<MinTlsVersion, string>> = {
  "1.2": "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "1.3": "ELBSecurityPolicy-TLS13-1-3-2021-06",
};

/** AWS managed rule groups, in evaluation order: reputation first, then the OWASP-style core set and known exploits. */
export const AWS_MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
] as const;

// S3 bucket names: at most 63 characters, unique across AWS.
const BUCKET_NAME_MAX = 63;

/**
 * AWS: an internet-facing Application Load Balancer in the public subnets (invalid header
 * fields dropped, access logs to an S3 bucket kept for the retention, deletion protection),
 * an HTTPS listener with a TLS 1.3 policy and an ACM certificate validated by DNS, an HTTP
 * listener that only redirects, an `instance` target group to which the workload node group's
 * Auto Scaling group is attached (its nodes, on the ingress NodePort), a WAFv2 web
 * ACL of AWS managed rule groups with logging, and security groups so that only the load
 * balancer reaches the nodes on the ingress port.
 */
export class AwsEdge extends Construct implements Edge {
  readonly outputs: EdgeOutputs;
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, input: AwsEdgeProps) {
    super(scope, id);
    const props = resolveEdgeProps(input);
    const name = edgeName(props);
    const tags = (n: string) => nameTagged(props.tags, n);
    const protect = props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {};

    const securityGroup = this.securityGroup(props, name);
    const logBucket = this.accessLogBucket(props, name);
    this.loadBalancer = new Lb(this, "load-balancer", {
      name,
      internal: false,
      loadBalancerType: "application",
      securityGroups: [securityGroup.id],
      subnets: [...props.publicSubnetIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection,
      accessLogs: { bucket: logBucket.bucket, enabled: true },
      tags: tags(name),
      dependsOn: [logBucket.policy],
      ...protect,
    });

    // `instance` targets: the nodes of the workload node group, on the ingress NodePort.
    this.targetGroup = new LbTargetGroup(this, "ingress", {
      name: `${props.name}-ingress`,
      targetType: "instance",
      port: props.cluster.ingress.nodePort,
      protocol: "HTTPS",
      vpcId: props.networkId,
      healthCheck: { enabled: true, protocol: "HTTPS", port: "traffic-port", path: INGRESS_HEALTH_PATH, matcher: "200-399" },
      tags: tags(`${props.name}-ingress`),
    });

    // Auto Scaling registers every node of the group, including those it launches later.
    props.cluster.ingress.nodeGroupIds.forEach((group, i) => {
      new AutoscalingAttachment(this, `ingress-nodes-${i}`, { autoscalingGroupName: group, lbTargetGroupArn: this.targetGroup.arn });
    });
    const certificate = this.certificate(props, name);
    new LbListener(this, "https", {
      loadBalancerArn: this.loadBalancer.arn,
      port: HTTPS_PORT,
      protocol: "HTTPS",
      sslPolicy: AWS_TLS_POLICIES[props.minTlsVersion],
      certificateArn: certificate.arn,
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      tags: tags(`${name}-https`),
    });
    new LbListener(this, "http-redirect", {
      loadBalancerArn: this.loadBalancer.arn,
      port: HTTP_PORT,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } }],
      tags: tags(`${name}-http-redirect`),
    });

    this.webAcl = this.firewall(props, name, input.logKeyArn);
    this.outputs = {
      address: this.loadBalancer.dnsName,
      certificateValidationRecords: certificate.validationRecords,
      identity: "",
      backendId: this.targetGroup.arn,
      metricScopes: [{ LoadBalancer: this.loadBalancer.arnSuffix, TargetGroup: this.targetGroup.arnSuffix }],
    };
  }

  /** Internet to the load balancer on 443 and 80; the load balancer to the nodes on the ingress port, and nothing else. */
  private securityGroup(props: ResolvedEdgeProps, name: string): SecurityGroup {
    const group = new SecurityGroup(this, "security-group", {
      name,
      description: "Public edge: HTTPS and HTTP from the internet, to the cluster's ingress only",
      vpcId: props.networkId,
      tags: nameTagged(props.tags, name),
    });
    for (const port of [HTTPS_PORT, HTTP_PORT]) {
      new VpcSecurityGroupIngressRule(this, `from-internet-${port}`, {
        securityGroupId: group.id,
        description: port === HTTPS_PORT ? "HTTPS from the internet" : "HTTP from the internet, redirected to HTTPS",
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: "0.0.0.0/0",
        tags: props.tags,
      });
    }
    const { nodePort } = props.cluster.ingress;
    props.cluster.nodeAccess.securityGroupIds.forEach((nodes, i) => {
      new VpcSecurityGroupEgressRule(this, `to-ingress-${i}`, {
        securityGroupId: group.id,
        description: "To the cluster's ingress",
        ipProtocol: "tcp",
        fromPort: nodePort,
        toPort: nodePort,
        referencedSecurityGroupId: nodes,
        tags: props.tags,
      });
      new VpcSecurityGroupIngressRule(this, `ingress-from-edge-${i}`, {
        securityGroupId: nodes,
        description: "The cluster's ingress, from the public edge only",
        ipProtocol: "tcp",
        fromPort: nodePort,
        toPort: nodePort,
        referencedSecurityGroupId: group.id,
        tags: props.tags,
      });
    });
    return group;
  }

  /**
   * Access logs: ALB writes only to buckets encrypted with S3-managed keys (SSE-KMS is not
   * supported for access logs), through the region's Elastic Load Balancing account.
   */
  private accessLogBucket(props: ResolvedEdgeProps, name: string): { bucket: string; policy: S3BucketPolicy } {
    const bucket = new S3Bucket(this, "access-logs", {
      bucket: globalName(this, "access-logs-suffix", { base: `${name}-access-logs`, maxLength: BUCKET_NAME_MAX, charset: "lower-alnum-hyphen" }),
      forceDestroy: false,
      tags: nameTagged(props.tags, `${name}-access-logs`),
      ...(props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {}),
    });
    suppressUnprotected(props.deletionProtection, "edge.deletionProtection", bucket, "SIROS-AWS-S3-8");
    suppress(bucket, "SIROS-AWS-S3-2", "load balancer access logs can only be delivered to a bucket encrypted with S3-managed keys (SSE-S3), not SSE-KMS");
    suppress(bucket, "SIROS-AWS-S3-3", "written only by Elastic Load Balancing's log delivery (bucket policy) and expired by lifecycle; versioning would keep every expired log object as a noncurrent version");
    suppress(bucket, "SIROS-AWS-S3-4", "the TLS-only statement (DenyInsecureTransport) is in the aws_iam_policy_document data source below, whose JSON exists only at plan time, so the checker cannot read it");
    new S3BucketPublicAccessBlock(this, "access-logs-public-access", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "access-logs-ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "access-logs-encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketLifecycleConfiguration(this, "access-logs-retention", {
      bucket: bucket.id,
      rule: [{ id: "expire-access-logs", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: props.logRetentionDays }] }],
    });
    const elb = new DataAwsElbServiceAccount(this, "elb-account", {});
    const account = new DataAwsCallerIdentity(this, "account", {});
    const document = new DataAwsIamPolicyDocument(this, "access-logs-policy-document", {
      statement: [
        {
          sid: "ElbWritesAccessLogs",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [elb.arn] }],
          actions: ["s3:PutObject"],
          resources: [`${bucket.arn}/AWSLogs/${account.accountId}/*`],
        },
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [bucket.arn, `${bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    const policy = new S3BucketPolicy(this, "access-logs-policy", { bucket: bucket.id, policy: document.json });
    return { bucket: bucket.bucket, policy };
  }

  /** ACM, validated by DNS, when the environment names domains; otherwise the stored certificate named at plan time. */
  private certificate(props: ResolvedEdgeProps, name: string): { arn: string; validationRecords: string } {
    if (props.domains.length === 0) {
      return { arn: storedCertificate(this, "ARN of a certificate in ACM (imported or issued), used until the environment names domains"), validationRecords: "[]" };
    }
    const [domainName, ...alternatives] = props.domains;
    const certificate = new AcmCertificate(this, "certificate", {
      domainName,
      subjectAlternativeNames: alternatives,
      validationMethod: "DNS",
      keyAlgorithm: "EC_prime256v1",
      tags: nameTagged(props.tags, name),
      // A replacement is issued before the listener lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });
    // Waits until the DNS records are in place and ACM has issued the certificate.
    const validation = new AcmCertificateValidation(this, "certificate-validation", { certificateArn: certificate.arn });
    // domain_name, resource_record_name, resource_record_type, resource_record_value per name.
    return { arn: validation.certificateArn, validationRecords: Fn.jsonencode(certificate.domainValidationOptions) };
  }

  /** WAFv2: the managed rule groups block (prevention) or only count (detection); every request sampled and logged. */
  private firewall(props: ResolvedEdgeProps, name: string, logKeyArn: string): Wafv2WebAcl {
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const overrideAction = props.wafMode === "prevention" ? { none: {} } : { count: {} };
    const rule: Wafv2WebAclRule[] = AWS_MANAGED_RULE_GROUPS.map((group, priority) => ({
      name: group,
      priority,
      overrideAction,
      statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS" } },
      visibilityConfig: visibility(`${name}-${group}`),
    }));
    const acl = new Wafv2WebAcl(this, "web-acl", {
      name,
      description: "Managed rule groups in front of the public edge",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule,
      visibilityConfig: visibility(name),
      tags: nameTagged(props.tags, name),
    });
    new Wafv2WebAclAssociation(this, "web-acl-association", { resourceArn: this.loadBalancer.arn, webAclArn: acl.arn });
    // WAF accepts only log groups whose name starts with aws-waf-logs-.
    const logs = new CloudwatchLogGroup(this, "waf-logs", {
      name: `aws-waf-logs-${name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: logKeyArn,
      tags: nameTagged(props.tags, `aws-waf-logs-${name}`),
    });
    new Wafv2WebAclLoggingConfiguration(this, "web-acl-logging", { resourceArn: acl.arn, logDestinationConfigs: [logs.arn] });
    return acl;
  }
}
