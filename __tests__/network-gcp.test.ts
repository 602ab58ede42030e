import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { dependenciesOf, dependencyOn } from "./support/gcp-dependencies";
import { byName, countOf, referenceTo, resources, synthStack as synthWholeStack, withoutModule, unordered } from "./support/synth";

/** The network as composed, without the edge (which adds security groups, log groups and public IPs of its own). */
const synthStack = (...args: Parameters<typeof synthWholeStack>) => withoutModule(synthWholeStack(...args), "edge");

describe("Google Cloud network", () => {
  const prod = synthStack("gcp", "prod");
  const dev = synthStack("gcp", "dev");

  test("is a custom-mode VPC", () => {
    expect(prod.json).toHaveResourceWithProperties(ComputeNetwork, { auto_create_subnetworks: false, project: "siros-prod" });
  });

  test("has regional subnetworks with private Google access, flow logs and GKE secondary ranges", () => {
    const subnetworks = byName(prod.tf, "google_compute_subnetwork");
    expect(subnetworks["siros-prod-private"]).toMatchObject({
      ip_cidr_range: "10.34.0.0/18",
      region: "europe-west1",
      private_ip_google_access: true,
      secondary_ip_range: [
        { range_name: "pods", ip_cidr_range: "10.34.64.0/18" },
        { range_name: "services", ip_cidr_range: "10.34.144.0/20" },
      ],
    });
    expect(subnetworks["siros-prod-public"]).toMatchObject({ ip_cidr_range: "10.34.128.0/20", private_ip_google_access: true });
    for (const subnetwork of Object.values(subnetworks)) {
      // Every flow, not a sample: flow_sampling 1.
      expect(subnetwork.log_config).toEqual({ aggregation_interval: "INTERVAL_5_SEC", flow_sampling: 1, metadata: "INCLUDE_ALL_METADATA" });
    }
  });

  test("prod egresses through Cloud NAT with a reserved address per zone", () => {
    expect(countOf(prod.tf, "google_compute_router")).toBe(1);
    expect(countOf(prod.tf, "google_compute_address")).toBe(3);
    expect(prod.json).toHaveResourceWithProperties(ComputeRouterNat, {
      nat_ip_allocate_option: "MANUAL_ONLY",
      source_subnetwork_ip_ranges_to_nat: "LIST_OF_SUBNETWORKS",
      router: referenceTo(prod.tf, "google_compute_router", () => true, "name"),
      log_config: { enable: true, filter: "ERRORS_ONLY" },
    });
    const [nat] = resources(prod.tf, "google_compute_router_nat");
    expect(nat.nat_ips).toHaveLength(3);
  });

  test("dev lets Cloud NAT allocate a single shared address", () => {
    expect(countOf(dev.tf, "google_compute_address")).toBe(0);
    expect(dev.json).toHaveResourceWithProperties(ComputeRouterNat, { nat_ip_allocate_option: "AUTO_ONLY" });
  });

  test("firewall allows internal traffic and the declared ingress, and denies the rest with logging", () => {
    const network = referenceTo(prod.tf, "google_compute_network", () => true, "name");
    const common = { project: "siros-prod", network, direction: "INGRESS", log_config: { metadata: "INCLUDE_ALL_METADATA" } };
    expect(unordered(resources(prod.tf, "google_compute_firewall"))).toEqual(
      unordered([
        {
          ...common,
          name: "siros-prod-allow-internal",
          description: "Traffic between addresses of this network, including GKE ranges",
          priority: 1000,
          source_ranges: ["10.34.0.0/16"],
          allow: [{ protocol: "all" }],
        },
        {
          ...common,
          name: "siros-prod-allow-tcp-443-0",
          description: "HTTPS to public load balancers",
          priority: 1000,
          source_ranges: ["0.0.0.0/0"],
          target_tags: ["public-ingress"],
          allow: [{ protocol: "tcp", ports: ["443"] }],
        },
        {
          ...common,
          name: "siros-prod-allow-tcp-80-1",
          description: "HTTP to public load balancers, which only redirect it to HTTPS",
          priority: 1000,
          source_ranges: ["0.0.0.0/0"],
          target_tags: ["public-ingress"],
          allow: [{ protocol: "tcp", ports: ["80"] }],
        },
        {
          ...common,
          name: "siros-prod-deny-all-ingress",
          description: "Everything not allowed above",
          priority: 65534,
          source_ranges: ["0.0.0.0/0"],
          deny: [{ protocol: "all" }],
        },
      ]),
    );
  });

  test("keeps flow logs for the environment's retention in a dedicated log bucket", () => {
    expect(prod.json).toHaveResourceWithProperties(LoggingProjectBucketConfig, { retention_days: 180, location: "europe-west1" });
    expect(dev.json).toHaveResourceWithProperties(LoggingProjectBucketConfig, { retention_days: 30 });
    const [sink] = resources(prod.tf, "google_logging_project_sink");
    expect(sink.destination).toBe(`logging.googleapis.com/${referenceTo(prod.tf, "google_logging_project_bucket_config", () => true)}`);
    expect(sink.filter).toContain('log_id("compute.googleapis.com/vpc_flows")');
  });

  test("keeps flow logs out of the _Default sink, so they are stored once, in their own bucket", () => {
    const [sink] = resources(prod.tf, "google_logging_project_sink");
    expect(resources(prod.tf, "google_logging_project_exclusion")).toEqual([
      {
        name: "siros-prod-vpc-flows-not-in-default",
        project: "siros-prod",
        description: "VPC flow logs of siros-prod are kept in their own bucket only",
        filter: 'resource.type="gce_subnetwork" AND log_id("compute.googleapis.com/vpc_flows") AND resource.labels.subnetwork_name:"siros-prod-"',
        depends_on: [dependencyOn(prod.tf, "logging.googleapis.com")],
      },
    ]);
    // Exactly the entries the sink routes: nothing else leaves _Default, nothing routed is stored twice.
    expect(sink.filter).toBe(resources(prod.tf, "google_logging_project_exclusion")[0].filter);
  });

  test("enables the Compute Engine and Cloud Logging APIs, and leaves them on when destroyed", () => {
    expect(unordered(resources(prod.tf, "google_project_service"))).toEqual(
      unordered(
        // The network's two, the keys module's Cloud KMS and Secret Manager, the Kubernetes module's GKE, the database's Cloud SQL
        // Admin and Service Networking, the storage module's Cloud Storage, observability's Monitoring and
        // Billing Budget (one resource per API and stack).
        ["compute.googleapis.com", "logging.googleapis.com", "cloudkms.googleapis.com", "secretmanager.googleapis.com", "container.googleapis.com", "sqladmin.googleapis.com", "servicenetworking.googleapis.com", "storage.googleapis.com", "monitoring.googleapis.com", "billingbudgets.googleapis.com"].map((service) => ({
          project: "siros-prod",
          service,
          disable_on_destroy: false,
          disable_dependent_services: false,
        })),
      ),
    );
  });

  test("every network resource waits for the API it is created through", () => {
    const apiOf: Record<string, string> = { compute: "compute.googleapis.com", logging: "logging.googleapis.com" };
    for (const [type, blocks] of Object.entries(prod.tf.resource)) {
      const api = apiOf[type.split("_")[1]];
      if (!type.startsWith("google_") || !api) continue;
      for (const name of Object.keys(blocks)) {
        expect([`${type}.${name}`, dependenciesOf(prod.tf, `${type}.${name}`).has(dependencyOn(prod.tf, api))]).toEqual([`${type}.${name}`, true]);
      }
    }
  });

  test("the provider labels every resource with the environment's tags, keys unchanged", () => {
    expect(prod.json).toHaveProviderWithProperties(GoogleProvider, {
      project: "siros-prod",
      region: "europe-west1",
      default_labels: { project: "siros", environment: "prod", owner: "platform-team", "cost-center": "cc-platform", "managed-by": "cdktf" },
    });
  });
});

/** The address of the stack's `google_project_service` for `service`. */
