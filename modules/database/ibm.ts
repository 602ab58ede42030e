import { Database as IbmDatabaseInstance } from "../../.gen/providers/ibm/database";
import type { IamAuthorizationPolicy } from "../../.gen/providers/ibm/iam-authorization-policy";
import { Construct } from "constructs";
import type { Keys } from "../keys/contract";
import { keyValueTags } from "../shared/tags";
import {
  DATABASE_NAME,
  databaseName,
  protectedLifecycle,
  resolveDatabaseProps,
  suppressWhenUnprotected,
  type Database,
  type DatabaseOutputs,
  type DatabaseProps,
} from "./contract";
import { DATABASE_OFFERS } from "./sizes";

export interface IbmDatabaseProps extends DatabaseProps {
  readonly resourceGroupId: string;
  /** The environment's Key Protect root key CRN (keys module). */
  readonly keyCrn: string;
  readonly keys: Keys;
  /** Authorizes a source service to read the key (IbmKeys.sourceGrant); returns the policy to depend on. */
  readonly grantKey: (sourceService: string) => IamAuthorizationPolicy | undefined;
}

export const IBM_POSTGRES_SERVICE = "databases-for-postgresql";
/** Members of a deployment: IBM's PostgreSQL always runs two (leader and replica); three where highly available. */
export const IBM_MEMBERS = { standard: 2, highAvailability: 3 } as const;

/**
 * IBM Cloud: Databases for PostgreSQL (`ibm_database`) on private service endpoints only, an
 * allowlist of the cluster's node subnets, disk and backups encrypted with the environment's
 * Key Protect root key (the service is authorized to read it first), members sized per
 * environment, and deletion protection (the provider's `deletion_protection` and
 * `prevent_destroy`) in prod and dr. dr: a read replica of prod (`remote_leader_id`).
 * The administrator's password is not set by Terraform (see gaps): the operator sets it and
 * keeps it in the secret group this module creates.
 */
export class IbmDatabase extends Construct implements Database {
  readonly outputs: DatabaseOutputs;
  readonly deployment: IbmDatabaseInstance;

  constructor(scope: Construct, id: string, input: IbmDatabaseProps) {
    super(scope, id);
    const props = resolveDatabaseProps(input);
    const name = databaseName(props);
    const authorization = input.grantKey(IBM_POSTGRES_SERVICE);
    const secretGroup = input.keys.addSecret("database-admin", { name: "database-admin", description: `Password of admin on ${name}` });

    this.deployment = new IbmDatabaseInstance(this, "deployment", {
      name,
      service: IBM_POSTGRES_SERVICE,
      plan: "standard",
      location: props.region,
      resourceGroupId: input.resourceGroupId,
      version: props.engineVersion,
      serviceEndpoints: "private",
      keyProtectKey: input.keyCrn,
      backupEncryptionKeyCrn: input.keyCrn,
      deletionProtection: props.deletionProtection,
      remoteLeaderId: props.replicaOf?.id,
      allowlist: props.clientAccess.subnetCidrs.map((address, i) => ({ address, description: `cluster nodes ${i + 1}` })),
      group: [
        {
          groupId: "member",
          // A read replica is a single member; the service sizes it (members are set on the leader only).
          ...(props.replicaOf ? {} : { members: { allocationCount: props.highAvailability ? IBM_MEMBERS.highAvailability : IBM_MEMBERS.standard } }),
          memory: { allocationMb: DATABASE_OFFERS[props.size].ibm.memoryMb },
          disk: { allocationMb: props.storageGb * 1024 },
          hostFlavor: { id: "multitenant" },
        },
      ],
      tags: keyValueTags(props.tags),
      dependsOn: authorization ? [authorization] : [],
      ...protectedLifecycle(props),
    });

    suppressWhenUnprotected(props, this.deployment, "SIROS-IBM-ICD-4");

    this.outputs = {
      databaseId: this.deployment.id,
      // ibm_database exports no host name; the private endpoint is read with `ibmcloud cdb deployment-connections` (see gaps).
      endpoint: this.deployment.id,
      databaseName: DATABASE_NAME,
      credentialsSecretId: secretGroup.id,
      // The contract's IBM scope: the deployment's CRN, which its platform logs carry as logSourceCRN.
      metricScopes: [{ crn: this.deployment.id }],
    };
  }
}
