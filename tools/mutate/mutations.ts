/**
 * Deliberate breakages of security-relevant behaviour, for `npm run test:mutate`. Each is
 * applied alone to a scratch copy of the repository; the listed test files must then fail.
 * `find` must occur exactly once in `file` (whitespace included): when the code moves on,
 * the entry fails as stale and is to be refreshed here, never dropped silently.
 */
export interface Mutation {
  /** Short unique name, <area>-<what>. */
  readonly id: string;
  /** Path from the repository root. */
  readonly file: string;
  readonly find: string;
  readonly replace: string;
  /** What a user would lose if this slipped through. */
  readonly why: string;
  /** Test files (under __tests__/) that must catch it. */
  readonly tests: readonly string[];
}

export const MUTATIONS: readonly Mutation[] = [
  // --- network: AWS ---
  {
    id: "aws-public-ip-on-launch",
    file: "modules/network/aws.ts",
    find: "mapPublicIpOnLaunch: false,",
    replace: "mapPublicIpOnLaunch: true,",
    why: "every instance in every subnet would get a public address",
    tests: ["network-aws.test.ts"],
  },
  {
    id: "aws-default-security-group-open",
    file: "modules/network/aws.ts",
    find: "new DefaultSecurityGroup(this, \"default-security-group\", { vpcId, tags:",
    replace: "new DefaultSecurityGroup(this, \"default-security-group\", { vpcId, ingress: [{ fromPort: 0, toPort: 0, protocol: \"-1\", cidrBlocks: [\"0.0.0.0/0\"] }], tags:",
    why: "the default security group would admit the whole internet",
    tests: ["network-aws.test.ts"],
  },
  {
    id: "aws-flow-log-policy-wildcard",
    file: "modules/network/aws.ts",
    find: "Resource: `${logGroup.arn}:*`,",
    replace: "Resource: \"*\",",
    why: "the flow-log role could write every log group of the account",
    tests: ["network-aws.test.ts"],
  },
  // --- network: Azure ---
  {
    id: "azure-nsg-internet-allowed",
    file: "modules/network/azure.ts",
    find: "access: \"Deny\",",
    replace: "access: \"Allow\",",
    why: "the NSGs' final rule would let the internet in",
    tests: ["network-azure.test.ts"],
  },
  {
    id: "azure-default-outbound",
    file: "modules/network/azure.ts",
    find: "defaultOutboundAccessEnabled: false,",
    replace: "defaultOutboundAccessEnabled: true,",
    why: "subnets would get Azure's implicit outbound internet access",
    tests: ["network-azure.test.ts"],
  },
  {
    id: "azure-storage-plain-http",
    file: "modules/network/azure.ts",
    find: "httpsTrafficOnlyEnabled: true,",
    replace: "httpsTrafficOnlyEnabled: false,",
    why: "flow logs could be read and written over plain HTTP",
    tests: ["network-azure.test.ts"],
  },
  {
    id: "azure-storage-public-blobs",
    file: "modules/network/azure.ts",
    find: "allowNestedItemsToBePublic: false,",
    replace: "allowNestedItemsToBePublic: true,",
    why: "flow-log containers could be made public",
    tests: ["network-azure.test.ts"],
  },
  // --- network: Google Cloud ---
  {
    id: "gcp-deny-all-becomes-allow",
    file: "modules/network/gcp.ts",
    find: "deny: [{ protocol: \"all\" }],",
    replace: "allow: [{ protocol: \"all\" }],",
    why: "the lowest-priority firewall rule would admit everything from anywhere",
    tests: ["network-gcp.test.ts"],
  },
  {
    id: "gcp-flow-logs-off",
    file: "modules/network/gcp.ts",
    find: "logConfig: flowLogConfig,",
    replace: "logConfig: undefined,",
    why: "subnetworks would keep no flow logs",
    tests: ["network-gcp.test.ts"],
  },
  // --- network: Oracle Cloud ---
  {
    id: "oci-private-subnet-public-ips",
    file: "modules/network/oci.ts",
    find: "prohibitPublicIpOnVnic: tier === \"private\",",
    replace: "prohibitPublicIpOnVnic: false,",
    why: "VNICs in the private subnet could get public addresses",
    tests: ["network-oci.test.ts"],
  },
  {
    id: "oci-security-list-from-anywhere",
    file: "modules/network/oci.ts",
    find: "      source: props.cidr,\n      sourceType: \"CIDR_BLOCK\",",
    replace: "      source: \"0.0.0.0/0\",\n      sourceType: \"CIDR_BLOCK\",",
    why: "the VCN-internal rule would admit every protocol from the internet",
    tests: ["network-oci.test.ts"],
  },
  // --- network: IBM Cloud ---
  {
    id: "ibm-security-group-from-anywhere",
    file: "modules/network/ibm.ts",
    find: "rule(\"allow-vpc-inbound\", { direction: \"inbound\", remote: props.cidr, protocol: IBM_PROTOCOL.icmpTcpUdp });",
    replace: "rule(\"allow-vpc-inbound\", { direction: \"inbound\", remote: ANYWHERE, protocol: IBM_PROTOCOL.icmpTcpUdp });",
    why: "the workload security group would admit the internet",
    tests: ["network-ibm.test.ts"],
  },
  {
    id: "ibm-acl-vpc-inbound-from-anywhere",
    file: "modules/network/ibm.ts",
    find: '{ name: "allow-vpc-inbound", action: "allow", direction: "inbound", source: props.cidr,',
    replace: '{ name: "allow-vpc-inbound", action: "allow", direction: "inbound", source: ANYWHERE,',
    why: "the ACLs' first rule would admit the internet",
    tests: ["network-ibm.test.ts"],
  },
  {
    id: "ibm-flow-log-bucket-unencrypted",
    file: "modules/network/ibm.ts",
    find: "      kmsKeyCrn: rootKey.crn,\n",
    replace: "",
    why: "flow logs would be stored without the Key Protect root key",
    tests: ["network-ibm.test.ts"],
  },
  // --- providers ---
  {
    id: "aws-provider-any-account",
    file: "providers/aws.ts",
    find: "...(env.aws.accountId ? { allowedAccountIds: [env.aws.accountId] } : {}),",
    replace: "",
    why: "a plan with the wrong credentials could change another AWS account",
    tests: ["providers.test.ts"],
  },
  // --- state backend ---
  {
    id: "backend-unencrypted",
    file: "backends/s3-backend.ts",
    find: "encrypt: true,",
    replace: "encrypt: false,",
    why: "state, which holds secrets, would be stored unencrypted",
    tests: ["backend.test.ts"],
  },
  {
    id: "backend-no-dynamodb-lock",
    file: "backends/s3-backend.ts",
    find: "...(dynamodb ? { dynamodbTable: location.lockTable } : {}),",
    replace: "",
    why: "two applies could write the same state at once",
    tests: ["backend.test.ts"],
  },
  {
    id: "backend-no-lockfile",
    file: "backends/s3-backend.ts",
    find: "...(settings.locking !== \"dynamodb\" ? { useLockfile: true } : {}),",
    replace: "",
    why: "lockfile mode would take no lock at all",
    tests: ["backend.test.ts"],
  },
  {
    id: "bootstrap-bucket-public",
    file: "backends/state-bootstrap.ts",
    find: "restrictPublicBuckets: true,",
    replace: "restrictPublicBuckets: false,",
    why: "a public bucket policy could expose every state file",
    tests: ["state-bootstrap.test.ts"],
  },
  {
    id: "bootstrap-no-versioning",
    file: "backends/state-bootstrap.ts",
    find: "versioningConfiguration: { status: \"Enabled\" }",
    replace: "versioningConfiguration: { status: \"Suspended\" }",
    why: "a corrupted or deleted state could not be recovered",
    tests: ["state-bootstrap.test.ts"],
  },
  {
    id: "bootstrap-tls-not-required",
    file: "backends/state-bootstrap.ts",
    find: "Condition: { Bool: { \"aws:SecureTransport\": \"false\" } },",
    replace: "Condition: { Bool: { \"aws:SecureTransport\": \"true\" } },",
    why: "state could be read over plain HTTP",
    tests: ["state-bootstrap.test.ts"],
  },
  {
    id: "bootstrap-key-not-rotated",
    file: "backends/state-bootstrap.ts",
    find: "enableKeyRotation: true,",
    replace: "enableKeyRotation: false,",
    why: "the state key would never rotate",
    tests: ["state-bootstrap.test.ts"],
  },
  {
    id: "bootstrap-lock-table-deletable",
    file: "backends/state-bootstrap.ts",
    find: "deletionProtectionEnabled: true,",
    replace: "deletionProtectionEnabled: false,",
    why: "the lock table could be deleted by accident",
    tests: ["state-bootstrap.test.ts"],
  },
  {
    id: "settings-bucket-name-unchecked",
    file: "backends/settings.ts",
    find: "if (problems.length > 0) throw new ConfigError(\"Invalid state backend settings\", problems);",
    replace: "",
    why: "a bad SIROS_STATE_* value would reach Terraform instead of being refused",
    tests: ["backend.test.ts", "main.test.ts"],
  },
  // --- refusals of environment data ---
  {
    id: "env-tag-key-unchecked",
    file: "environments/validate.ts",
    find: "if (!TAG_KEY.test(key)) {",
    replace: "if (false) {",
    why: "a tag key one cloud rejects would fail at apply, on that cloud only",
    tests: ["environment-refusals.test.ts", "environments.test.ts"],
  },
  {
    id: "env-aws-account-unchecked",
    file: "environments/validate.ts",
    find: "config.aws.accountId !== undefined && !AWS_ACCOUNT_ID.test(config.aws.accountId)",
    replace: "false",
    why: "a mistyped account id would lock the provider to no account, or the wrong one",
    tests: ["environment-refusals.test.ts", "environments.test.ts"],
  },
  {
    id: "env-zone-limit-unchecked",
    file: "environments/validate.ts",
    find: "const maxZones = Math.min(regionZones ?? MAX_ZONES, MAX_ZONES);",
    replace: "const maxZones = regionZones ?? MAX_ZONES;",
    why: "more zones than the subnet plan can carve would fail deep in a module",
    tests: ["environment-refusals.test.ts", "environments.test.ts"],
  },
  {
    id: "env-public-range-allowed",
    file: "environments/validate.ts",
    find: "if (!isPrivateRange(parsed)) return \"is not a private range\";",
    replace: "",
    why: "a network could take public address space",
    tests: ["environments.test.ts"],
  },
  {
    id: "env-overlaps-allowed",
    file: "environments/validate.ts",
    find: "if (cidrsOverlap(a.cidr, b.cidr)) {",
    replace: "if (false) {",
    why: "two networks with overlapping ranges could never be peered",
    tests: ["environments.test.ts"],
  },
  {
    id: "env-ha-single-nat-allowed",
    file: "environments/validate.ts",
    find: "} else if (config.highAvailability && natStrategy !== \"per-zone\") {",
    replace: "} else if (false) {",
    why: "losing one zone would cut egress for a production environment",
    tests: ["environments.test.ts"],
  },
  {
    id: "env-replica-same-region",
    file: "environments/validate.ts",
    find: "if (primary[cloud] && replica[cloud] && primary[cloud].region === replica[cloud].region) {",
    replace: "if (false) {",
    why: "dr would share prod's fate in a regional outage",
    tests: ["environments.test.ts"],
  },
  {
    id: "selection-unknown-cloud-ignored",
    file: "stacks/selection.ts",
    find: "if (problems.length > 0) throw new ConfigError(\"Invalid stack selection\", problems);",
    replace: "",
    why: "a typo in SIROS_CLOUDS would silently synthesize (and plan) something else",
    tests: ["main.test.ts"],
  },
  // --- the app runner and provenance ---
  {
    id: "runner-keeps-half-written-output",
    file: "lib/run-app.ts",
    find: "if (createdOutdir) rmSync(createdOutdir, { recursive: true, force: true });",
    replace: "",
    why: "a failed synth would leave half an app that diff and deploy then read",
    tests: ["main.test.ts"],
  },
  {
    id: "provenance-ref-branch",
    file: "providers/schemas/oci.provenance.json",
    find: "\"file\": \"internal/service/identity/identity_compartment_resource.go\",\n      \"ref\": \"v8.28.0\"",
    replace: "\"file\": \"internal/service/identity/identity_compartment_resource.go\",\n      \"ref\": \"master\"",
    why: "an excerpt entry could be read from a moving branch, not the pinned release",
    tests: ["generated-providers.test.ts"],
  },
  // --- npm run diff and the workflows ---
  {
    id: "diff-kills-first",
    file: "tools/diff/process.ts",
    find: "signalGroup(child, \"SIGINT\");",
    replace: "signalGroup(child, \"SIGKILL\");",
    why: "a stopped plan would leave its state lock behind",
    tests: ["diff-process.test.ts"],
  },
  {
    id: "diff-no-lock-ignored",
    file: "tools/diff/plan.ts",
    find: "const lock = settings.noLock ? [\"-lock=false\"] : [`-lock-timeout=${settings.lockTimeout}`];",
    replace: "const lock = [`-lock-timeout=${settings.lockTimeout}`];",
    why: "read-only plans would try to take a lock they cannot write",
    tests: ["diff-process.test.ts"],
  },
  {
    id: "workflow-install-scripts-with-token",
    file: ".github/workflows/diff.yml",
    find: "      - run: npm ci --ignore-scripts\n",
    replace: "      - run: npm ci\n",
    why: "install scripts of the pull request's dependencies would run where a cloud token can be had",
    tests: ["workflows.test.ts"],
  },
  {
    id: "workflow-action-by-tag",
    file: ".github/workflows/diff.yml",
    find: "azure/login@7184910d9eb2b1c5e48f7073824a90609bb9b6d6 # v2.3.1",
    replace: "azure/login@v2",
    why: "a moved tag could run someone else's code with the cloud token",
    tests: ["workflows.test.ts"],
  },
  {
    id: "workflow-write-role",
    file: ".github/workflows/diff.yml",
    find: "role-to-assume: ${{ secrets.AWS_PLAN_ROLE_ARN }}",
    replace: "role-to-assume: ${{ secrets.AWS_ROLE_ARN }}",
    why: "pull-request plans would run with the role that writes state and infrastructure",
    tests: ["workflows.test.ts"],
  },
  // --- dependency rules ---
  {
    id: "boundary-module-reads-env",
    file: "modules/network/aws.ts",
    find: "mapPublicIpOnLaunch: false,",
    replace: "mapPublicIpOnLaunch: process.env.SIROS_PUBLIC_IPS === \"1\",",
    why: "a module reading the environment could be switched by whoever sets a variable",
    tests: ["boundaries.test.ts"],
  },
];
