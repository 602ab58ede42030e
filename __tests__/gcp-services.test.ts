import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { enableGcpServices } from "../modules/shared/gcp-services";

function stackWithProvider() {
  const stack = new TerraformStack(Testing.app(), "test");
  new GoogleProvider(stack, "google", { project: "p-1" });
  return stack;
}

describe("enableGcpServices", () => {
  test("enables each API once per project and stack, however many modules ask for it, and leaves it on when destroyed", () => {
    const stack = stackWithProvider();
    const network = enableGcpServices(new Construct(stack, "network"), "p-1", ["compute.googleapis.com", "logging.googleapis.com"]);
    const cluster = enableGcpServices(new Construct(stack, "cluster"), "p-1", ["compute.googleapis.com", "container.googleapis.com"]);
    expect(cluster[0]).toBe(network[0]);
    const tf = JSON.parse(Testing.synth(stack));
    // Terraform JSON lists resources by logical id.
    expect(Object.values(tf.resource.google_project_service)).toEqual(
      ["compute.googleapis.com", "container.googleapis.com", "logging.googleapis.com"].map((service) => ({
        project: "p-1",
        service,
        disable_on_destroy: false,
        disable_dependent_services: false,
      })),
    );
  });

  test("fails if a service is not an API name", () => {
    expect(() => enableGcpServices(stackWithProvider(), "p-1", ["compute"])).toThrow(
      'enableGcpServices: service "compute" is not an API name; expected a domain like compute.googleapis.com',
    );
  });
});
