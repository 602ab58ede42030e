import { TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { ONCALL_WEBHOOK_VARIABLE, onCallWebhookUrl } from "./contract";

/**
 * The on-call webhook's URL as the stack's own variable `oncall_webhook_url` (TF_VAR_oncall_webhook_url):
 * declared on the stack, not inside the module, so that Terraform names it as documented
 * rather than with the module's path and a hash; declared once however many callers.
 */
export function onCallWebhook(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(ONCALL_WEBHOOK_VARIABLE);
  return existing instanceof TerraformVariable ? existing.stringValue : onCallWebhookUrl(stack);
}
