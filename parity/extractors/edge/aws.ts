/** AWS edge profile: the ALB, its listeners, target group, WAFv2 association and access-log bucket. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Profile, Value } from "../../model";
import { agreed, numberOr, observe } from "../shared";
import { type EdgeReadings, listOf, NO_WAF, preventsDestroy, registration, tlsVersionOf, wafModeOf } from "./shared";

type Action = { type?: string; redirect?: { protocol?: string } | { protocol?: string }[] };

/** The floor an ELB security policy names: `ELBSecurityPolicy-TLS13-1-2-2021-06` → 1.2. */
export function elbPolicyFloor(policy: unknown): Value {
  const match = /TLS(?:13)?-1-(\d)-/.exec(String(policy ?? ""));
  return match ? tlsVersionOf(`TLS_1_${match[1]}`) : policy === undefined ? null : String(policy);
}

export function awsEdge(stack: StackIndex): Profile {
  const lb = stack.ofType("aws_lb").find((b) => b.values.internal === false);
  const listeners = lb ? stack.referencing(lb, "aws_lb_listener") : [];
  const https = listeners.find((l) => l.values.protocol === "HTTPS");
  const http = listeners.find((l) => l.values.protocol === "HTTP");
  const httpActions = listOf<Action>(http?.values.default_action);
  const forward = listOf<{ target_group_arn?: string }>(https?.values.default_action).map((a) => (a.target_group_arn ? stack.resolve(a.target_group_arn) : undefined));
  const targetGroup = forward.find((b): b is Block => b !== undefined);
  const association = lb ? stack.referencing(lb, "aws_wafv2_web_acl_association")[0] : undefined;
  const acl = association ? stack.referencedBy(association, "web_acl_arn", "aws_wafv2_web_acl") : undefined;
  const overrides = listOf<{ override_action?: { none?: unknown; count?: unknown } }>(acl?.values.rule).map((r) => r.override_action?.none !== undefined);
  const logBucketName = (lb?.values.access_logs as { bucket?: string } | undefined)?.bucket;
  const logBucket = typeof logBucketName === "string" ? stack.resolve(logBucketName) : undefined;
  const lifecycle = logBucket ? stack.referencing(logBucket, "aws_s3_bucket_lifecycle_configuration")[0] : undefined;
  const expirations = listOf<{ expiration?: unknown }>(lifecycle?.values.rule).flatMap((r) => listOf<{ days?: number }>(r.expiration).map((e) => numberOr(e.days)));
  const readings: EdgeReadings = {
    tlsFloor: observe(https ? elbPolicyFloor(https.values.ssl_policy) : null, [https]),
    httpRedirect: observe(http ? httpActions.length > 0 && httpActions.every((a) => a.type === "redirect" && listOf<{ protocol?: string }>(a.redirect).every((r) => r.protocol === "HTTPS")) : null, [http]),
    waf: observe(lb ? (acl ? wafModeOf(overrides) : NO_WAF) : null, [association, acl]),
    deletionProtection: observe(lb ? lb.values.enable_deletion_protection === true && preventsDestroy(lb) : null, [lb]),
    logRetentionDays: observe(lb ? (expirations.length ? agreed(expirations) : "none") : null, [lifecycle]),
    backendPort: observe(numberOr(targetGroup?.values.port), [targetGroup]),
    ingressRegistered: registration(stack, targetGroup, "aws_autoscaling_attachment"),
  };
  return { ...readings };
}
