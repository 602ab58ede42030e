import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";

/** Where the stack's `google_project_service` resources live: one per project and API. */
const HOLDER_ID = "gcp-project-services";

/**
 * Enables the Google APIs a module calls (`compute.googleapis.com`, ...) in `project`, and
 * returns the resources to depend on: a first plan in a new project otherwise fails with
 * "API has not been used in project ... or it is disabled". Each project and API is one
 * resource per stack however many modules ask for it, so modules list what they use without
 * knowing about each other.
 *
 * Destroying the stack leaves the APIs on (`disable_on_destroy = false`): turning an API off
 * would break whatever else in the project uses it, and nothing is billed for an enabled API.
 * Enabling needs the Service Usage API, which Google enables in every new project.
 */
export function enableGcpServices(scope: Construct, project: string, services: readonly string[]): ProjectService[] {
  const stack = TerraformStack.of(scope);
  const holder = (stack.node.tryFindChild(HOLDER_ID) as Construct | undefined) ?? new Construct(stack, HOLDER_ID);
  return services.map((service) => {
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(service)) {
      throw new Error(`enableGcpServices: service "${service}" is not an API name; expected a domain like compute.googleapis.com`);
    }
    const id = `${project}-${service}`;
    return (
      (holder.node.tryFindChild(id) as ProjectService | undefined) ??
      new ProjectService(holder, id, { project, service, disableOnDestroy: false, disableDependentServices: false })
    );
  });
}
