import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import {
  ADMIN_USER,
  awsWindow,
  backupWindow,
  DATABASE_NAME,
  databaseName,
  POSTGRES_PORT,
  protectedLifecycle,
  resolveDatabaseProps,
  suppressWhenUnprotected,
  type Database,
  type DatabaseOutputs,
  type DatabaseProps,
} from "./contract";
import { DATABASE_OFFERS } from "./sizes";

export interface AwsDatabaseProps extends DatabaseProps {
  /** The environment's KMS key ARN (keys module): storage, Performance Insights, the master secret, logs. */
  readonly keyArn: string;
}

/** Enhanced Monitoring's sampling period (seconds; RDS takes 0, 1, 5, 10, 15, 30 or 60): the cheapest that is on. */
export const AWS_MONITORING_INTERVAL = 60;
/** AWS's managed policy for the Enhanced Monitoring role: it writes to the RDSOSMetrics log group only. */
export const AWS_MONITORING_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

/** PostgreSQL logs exported to CloudWatch Logs, kept this long (days). */
export const AWS_LOG_RETENTION_DAYS = 90;

/**
 * Parameters every instance runs with: TLS only, and the connection, DDL and slow-query
 * logging scanners (and incident responders) expect.
 */
export const AWS_PARAMETERS: Readonly<Record<string, string>> = {
  "rds.force_ssl": "1",
  log_connections: "1",
  log_disconnections: "1",
  log_statement: "ddl",
  log_min_duration_statement: "1000",
};

/**
 * AWS: RDS for PostgreSQL (`aws_db_instance`) rather than Aurora: pgvector and HNSW are the
 * same on both, and a single Multi-AZ instance with gp3 storage is cheaper at these sizes and
 * replicates across regions as a plain read replica (Aurora Global Database would add a
 * second cluster type for one feature). In a DB subnet group of the private subnets, not
 * publicly accessible, storage, Performance Insights, logs and the RDS-managed master
 * password (Secrets Manager) encrypted with the environment's key; IAM authentication; a
 * security group that admits only the cluster's nodes. dr: a cross-region read replica of prod.
 */
export class AwsDatabase extends Construct implements Database {
  readonly outputs: DatabaseOutputs;
  readonly instance: DbInstance;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, input: AwsDatabaseProps) {
    super(scope, id);
    const props = resolveDatabaseProps(input);
    const { tags, keyArn, replicaOf } = input;
    const identifier = databaseName(props);

    const subnets = new DbSubnetGroup(this, "subnet-group", {
      name: identifier,
      description: `Private subnets of ${identifier}`,
      subnetIds: [...props.privateSubnetIds],
      tags: { ...tags, Name: identifier },
    });
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: identifier,
      description: `PostgreSQL ${identifier}: only the cluster's nodes`,
      vpcId: props.networkId,
      // No egress rule: Terraform removes AWS's default allow-all egress, and the database starts
      // no connections (replication runs on AWS's own network).
      tags: { ...tags, Name: identifier },
    });
    props.clientAccess.securityGroupIds.forEach((groupId, i) => {
      new VpcSecurityGroupIngressRule(this, `from-nodes-${i}`, {
        securityGroupId: this.securityGroup.id,
        description: "PostgreSQL from the cluster's nodes",
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        referencedSecurityGroupId: groupId,
        tags,
      });
    });
    const parameters = new DbParameterGroup(this, "parameters", {
      name: identifier,
      family: `postgres${props.engineVersion}`,
      description: `TLS only and query logging for ${identifier}`,
      parameter: Object.entries(AWS_PARAMETERS).map(([parameterName, value]) => ({ name: parameterName, value, applyMethod: "pending-reboot" })),
      tags: { ...tags, Name: identifier },
    });
    // Created here so that the exported logs are encrypted with the key and expire.
    const logs = ["postgresql", "upgrade"].map(
      (log) =>
        new CloudwatchLogGroup(this, `log-${log}`, {
          name: `/aws/rds/instance/${identifier}/${log}`,
          retentionInDays: AWS_LOG_RETENTION_DAYS,
          kmsKeyId: keyArn,
          tags: { ...tags, Name: identifier },
        }),
    );

    // Enhanced Monitoring: RDS's agent publishes OS metrics (per process, per disk) as this role.
    const monitoringRole = new IamRole(this, "monitoring-role", {
      name: `${identifier}-monitoring`,
      description: `Enhanced Monitoring of ${identifier}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: { ...tags, Name: `${identifier}-monitoring` },
    });
    const monitoringPolicy = new IamRolePolicyAttachment(this, "monitoring-policy", { role: monitoringRole.name, policyArn: AWS_MONITORING_POLICY });

    const common = {
      identifier,
      instanceClass: DATABASE_OFFERS[props.size].aws,
      storageType: "gp3",
      allocatedStorage: props.storageGb,
      // Storage grows by itself up to four times the allocation.
      maxAllocatedStorage: props.storageGb * 4,
      storageEncrypted: true,
      kmsKeyId: keyArn,
      multiAz: props.highAvailability,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      parameterGroupName: parameters.name,
      port: POSTGRES_PORT,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: backupWindow(props.maintenanceWindow),
      maintenanceWindow: awsWindow(props.maintenanceWindow),
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: keyArn,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: AWS_MONITORING_INTERVAL,
      monitoringRoleArn: monitoringRole.arn,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
      autoMinorVersionUpgrade: true,
      applyImmediately: false,
      // The role must carry its policy before RDS assumes it.
      dependsOn: [...logs, monitoringPolicy],
      tags: { ...tags, Name: identifier },
      ...protectedLifecycle(props),
    };
    this.instance = replicaOf
      ? // A cross-region read replica: engine, users and database come from the primary.
        // allocated_storage too: the provider ignores it on a replica, with a warning.
        new DbInstance(this, "instance", { ...common, allocatedStorage: undefined, replicateSourceDb: replicaOf.id })
      : new DbInstance(this, "instance", {
          ...common,
          engine: "postgres",
          engineVersion: props.engineVersion,
          dbName: DATABASE_NAME,
          username: ADMIN_USER,
          // RDS generates and rotates the password into Secrets Manager, encrypted with the key.
          manageMasterUserPassword: true,
          masterUserSecretKmsKeyId: keyArn,
        });
    suppressWhenUnprotected(props, this.instance, "SIROS-AWS-RDS-3");

    this.outputs = {
      databaseId: this.instance.arn,
      endpoint: this.instance.address,
      port: POSTGRES_PORT,
      databaseName: DATABASE_NAME,
      credentialsSecretId: replicaOf ? replicaOf.credentialsSecretId : this.instance.masterUserSecret.get(0).secretArn,
      metricScopes: [{ DBInstanceIdentifier: this.instance.identifier }],
    };
  }
}
