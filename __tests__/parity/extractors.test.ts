/** Each extractor on a small hand-written stack: the whole profile, and what breaks it. */
import { awsNetwork } from "../../parity/extractors/network/aws";
import { azureNetwork } from "../../parity/extractors/network/azure";
import { gcpNetwork } from "../../parity/extractors/network/gcp";
import { ibmNetwork } from "../../parity/extractors/network/ibm";
import { ociNetwork } from "../../parity/extractors/network/oci";
import { stateBackend } from "../../parity/extractors/state/backend";
import type { Profile } from "../../parity/model";
import { index } from "./support";

/** The keys module's contract output naming the environment's key. */
const withKey = (reference: string) => ({ output: { key_id: { value: `\${${reference}}` } } });

const values = (profile: Profile) => Object.fromEntries(Object.entries(profile).map(([k, o]) => [k, o.value]));

const aws = (natCount: number, retention = 30) => ({
  aws_vpc: { vpc: {} },
  aws_subnet: {
    "private-subnet-0": { availability_zone: "a", map_public_ip_on_launch: false },
    "private-subnet-1": { availability_zone: "b", map_public_ip_on_launch: false },
    "public-subnet-0": { availability_zone: "a", map_public_ip_on_launch: false },
  },
  aws_nat_gateway: Object.fromEntries(Array.from({ length: natCount }, (_, i) => [`nat-${i}`, {}])),
  aws_kms_key: { environment: {}, other: {} },
  aws_cloudwatch_log_group: { logs: { retention_in_days: retention, kms_key_id: "${aws_kms_key.environment.arn}" } },
  aws_flow_log: { flow: { vpc_id: "${aws_vpc.vpc.id}", traffic_type: "ALL", log_destination: "${aws_cloudwatch_log_group.logs.arn}" } },
  aws_vpc_security_group_ingress_rule: { https: { cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 443, to_port: 443 }, inner: { cidr_ipv4: "10.0.0.0/16", ip_protocol: "-1" } },
  aws_default_security_group: { default: { vpc_id: "${aws_vpc.vpc.id}" } },
});

describe("AWS network extractor", () => {
  test("reads zones, NAT, flow log and its group's retention, subnets, ingress and the default group", () => {
    const profile = awsNetwork(index(aws(2), withKey("aws_kms_key.environment.arn")));
    expect(values(profile)).toEqual({ zones: 2, nat: "per-zone", flowLogs: true, flowLogRetentionDays: 30, flowLogsEncrypted: "environment key", privateNoPublicIp: true, publicIngress: "tcp/443", defaultDeny: true });
    expect(profile.flowLogRetentionDays.addresses).toEqual(["aws_cloudwatch_log_group.logs"]);
  });

  test("sees a single NAT, public IPs on a private subnet, an open default group", () => {
    const resource = aws(1);
    resource.aws_subnet["private-subnet-1"].map_public_ip_on_launch = true as never;
    (resource.aws_default_security_group.default as Record<string, unknown>).ingress = [{ from_port: 0 }];
    expect(values(awsNetwork(index(resource)))).toMatchObject({ nat: "single", privateNoPublicIp: false, defaultDeny: false });
  });

  test("tells the environment's key from another key and from none", () => {
    const resource = aws(2);
    expect(values(awsNetwork(index(resource, withKey("aws_kms_key.other.arn"))))).toMatchObject({ flowLogsEncrypted: "other key" });
    delete (resource.aws_cloudwatch_log_group.logs as Record<string, unknown>).kms_key_id;
    expect(values(awsNetwork(index(resource, withKey("aws_kms_key.environment.arn"))))).toMatchObject({ flowLogsEncrypted: "provider-managed" });
  });

  test("has no flow logs when the flow log watches another VPC", () => {
    const resource = aws(2);
    resource.aws_flow_log.flow.vpc_id = "vpc-elsewhere";
    expect(values(awsNetwork(index(resource)))).toMatchObject({ flowLogs: false, flowLogRetentionDays: null });
  });
});

const azure = (denyProtocol = "*") => ({
  azurerm_virtual_network: { vnet: {} },
  azurerm_subnet: { "private-subnet-0": { default_outbound_access_enabled: false }, "private-subnet-1": { default_outbound_access_enabled: false }, "public-subnet-0": {} },
  azurerm_nat_gateway: { "nat-0": {} },
  azurerm_storage_account: { logs: {} },
  azurerm_key_vault_key: { key: {} },
  azurerm_storage_account_customer_managed_key: { cmk: { storage_account_id: "${azurerm_storage_account.logs.id}", key_name: "${azurerm_key_vault_key.key.name}" } },
  azurerm_network_watcher_flow_log: { flow: { enabled: true, target_resource_id: "${azurerm_virtual_network.vnet.id}", storage_account_id: "${azurerm_storage_account.logs.id}", retention_policy: { enabled: true, days: 90 } } },
  azurerm_network_security_group: {
    public: {
      security_rule: [
        { access: "Allow", direction: "Inbound", protocol: "Tcp", source_address_prefix: "0.0.0.0/0", destination_port_range: "443" },
        { access: "Deny", direction: "Inbound", protocol: denyProtocol, source_address_prefix: "Internet" },
      ],
    },
  },
});

describe("Azure network extractor", () => {
  test("reads subnets per zone, NAT gateways, the VNet flow log, NSG rules", () => {
    expect(values(azureNetwork(index(azure(), withKey("azurerm_key_vault_key.key.versionless_id"))))).toEqual({ zones: 2, nat: "single", flowLogs: true, flowLogRetentionDays: 90, flowLogsEncrypted: "environment key", privateNoPublicIp: true, publicIngress: "tcp/443", defaultDeny: true });
  });

  test("has no default deny when the NSG's final deny covers one protocol only", () => {
    expect(values(azureNetwork(index(azure("Tcp"))))).toMatchObject({ defaultDeny: false });
  });
});

const gcp = (allocation: "AUTO_ONLY" | "MANUAL_ONLY") => ({
  google_compute_subnetwork: { private: { log_config: { flow_sampling: 1 } }, public: { log_config: { flow_sampling: 0.5 } } },
  google_compute_address: { a: {}, b: {} },
  google_compute_router_nat: { nat: { nat_ip_allocate_option: allocation, nat_ips: allocation === "MANUAL_ONLY" ? ["${google_compute_address.a.self_link}", "${google_compute_address.b.self_link}"] : undefined } },
  google_kms_crypto_key: { key: {} },
  google_logging_project_bucket_config: { bucket: { retention_days: 180, cmek_settings: { kms_key_name: "${google_kms_crypto_key.key.id}" } } },
  google_logging_project_sink: { sink: { filter: 'log_id("compute.googleapis.com/vpc_flows")', destination: "logging.googleapis.com/${google_logging_project_bucket_config.bucket.id}" } },
  google_compute_firewall: {
    https: { direction: "INGRESS", source_ranges: ["0.0.0.0/0"], allow: [{ protocol: "tcp", ports: ["443"] }] },
    deny: { direction: "INGRESS", source_ranges: ["0.0.0.0/0"], deny: [{ protocol: "all" }] },
  },
});

describe("Google Cloud network extractor", () => {
  test("reads Cloud NAT's addresses, the flow-log bucket's retention, firewall rules; subnetworks are regional", () => {
    const profile = gcpNetwork(index(gcp("MANUAL_ONLY"), withKey("google_kms_crypto_key.key.id")));
    expect(values(profile)).toEqual({ zones: "regional", nat: "per-zone", flowLogs: false, flowLogRetentionDays: 180, flowLogsEncrypted: "environment key", privateNoPublicIp: "per instance", publicIngress: "tcp/443", defaultDeny: true });
    expect(profile.nat.addresses).toEqual(["google_compute_router_nat.nat", "google_compute_address.a", "google_compute_address.b"]);
  });

  test("automatic NAT addresses are a single NAT", () => {
    expect(values(gcpNetwork(index(gcp("AUTO_ONLY"))))).toMatchObject({ nat: "single" });
  });
});

const oci = (retentions: number[]) => ({
  oci_core_subnet: { "private-subnet": { prohibit_public_ip_on_vnic: true }, "public-subnet": { prohibit_public_ip_on_vnic: false } },
  oci_core_nat_gateway: { nat: {} },
  oci_logging_log: Object.fromEntries(
    ["private-subnet", "public-subnet"].map((s, i) => [`log-${i}`, { is_enabled: true, retention_duration: retentions[i], configuration: { source: { service: "flowlogs", resource: `\${oci_core_subnet.${s}.id}` } } }]),
  ),
  oci_core_security_list: { public: { ingress_security_rules: [{ protocol: "6", source: "0.0.0.0/0", tcp_options: { min: 443, max: 443 } }, { protocol: "all", source: "10.0.0.0/16" }] } },
  oci_core_default_security_list: { default: {} },
});

describe("Oracle Cloud network extractor", () => {
  test("reads the regional NAT gateway, a flow log per subnet, security lists", () => {
    expect(values(ociNetwork(index(oci([90, 90]))))).toEqual({ zones: "regional", nat: "regional", flowLogs: true, flowLogRetentionDays: 90, flowLogsEncrypted: "provider-managed", privateNoPublicIp: true, publicIngress: "tcp/443", defaultDeny: true });
  });

  test("shows flow logs kept for different times as mixed", () => {
    expect(values(ociNetwork(index(oci([90, 30]))))).toMatchObject({ flowLogRetentionDays: "mixed: 90, 30" });
  });
});

const ibm = (noRules: boolean) => ({
  ibm_is_vpc: { vpc: { no_sg_acl_rules: noRules } },
  ibm_is_public_gateway: { "gw-0": {}, "gw-1": {} },
  ibm_is_subnet: {
    "private-subnet-0": { zone: "eu-de-1", public_gateway: "${ibm_is_public_gateway.gw-0.id}" },
    "private-subnet-1": { zone: "eu-de-2", public_gateway: "${ibm_is_public_gateway.gw-1.id}" },
  },
  ibm_kms_key: { root: {} },
  ibm_cos_bucket: { logs: { kms_key_crn: "${ibm_kms_key.root.crn}" } },
  ibm_is_flow_log: { flow: { active: true, target: "${ibm_is_vpc.vpc.id}", storage_bucket: "${ibm_cos_bucket.logs.bucket_name}" } },
  ibm_cos_bucket_lifecycle_configuration: { expiry: { bucket_crn: "${ibm_cos_bucket.logs.crn}", lifecycle_rule: [{ status: "enable", expiration: { days: 30 } }] } },
  ibm_is_security_group_rule: { https: { direction: "inbound", remote: "0.0.0.0/0", protocol: "tcp", port_min: 443, port_max: 443 } },
  ibm_is_network_acl: { acl: { rules: [{ action: "deny", direction: "inbound", source: "0.0.0.0/0", protocol: "any" }] } },
});

describe("IBM Cloud network extractor", () => {
  test("reads zonal subnets and gateways, the flow log's bucket expiry, security group and ACLs", () => {
    expect(values(ibmNetwork(index(ibm(true), withKey("ibm_kms_key.root.crn"))))).toEqual({ zones: 2, nat: "per-zone", flowLogs: true, flowLogRetentionDays: 30, flowLogsEncrypted: "environment key", privateNoPublicIp: "per instance", publicIngress: "tcp/443", defaultDeny: true });
  });

  test("has no default deny while the VPC keeps its default allow rules", () => {
    expect(values(ibmNetwork(index(ibm(false))))).toMatchObject({ defaultDeny: false });
  });
});

describe("state extractor", () => {
  test("reads bucket, region, lock and encryption from the S3 backend", () => {
    const stack = index({}, { terraform: { backend: { s3: { bucket: "b", region: "eu-west-1", dynamodb_table: "locks", encrypt: true, key: "k" } } } });
    expect(values(stateBackend(stack))).toEqual({ backend: "s3", bucket: "b", region: "eu-west-1", lock: "dynamodb:locks", encrypted: true });
    expect(stateBackend(stack).bucket.addresses).toEqual(["terraform.backend.s3"]);
  });

  test("names another backend, and an S3 lock file", () => {
    expect(values(stateBackend(index({}, { terraform: { backend: { local: { path: "x" } } } })))).toEqual({ backend: "local", bucket: null, region: null, lock: null, encrypted: false });
    expect(values(stateBackend(index({}, { terraform: { backend: { s3: { bucket: "b", region: "r", use_lockfile: true } } } })))).toMatchObject({ lock: "s3 lockfile", encrypted: false });
  });
});
