import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import dynalite from "dynalite";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import S3rver from "s3rver";
import { waitFor } from "./processes";

/** s3rver accepts requests signed only with its one built-in account; dynalite accepts any. */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
export const LOCAL_REGION = "eu-west-1";
const LOOPBACK = "127.0.0.1";

// The SDK warns on every run that its releases from 2027 on will need Node 22; the project
// targets Node 20 and pins this release.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export interface StateServers {
  readonly s3Endpoint: string;
  readonly dynamodbEndpoint: string;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  createBucket(name: string): Promise<void>;
  /** A Terraform lock table: hash key `LockID`, a string. */
  createLockTable(name: string): Promise<void>;
  /** Every key in `bucket` under `prefix`, sorted. */
  objectKeys(bucket: string, prefix?: string): Promise<string[]>;
  objectText(bucket: string, key: string): Promise<string>;
  putObject(bucket: string, key: string, body: string): Promise<void>;
  /** The `LockID` of every item in `table`, sorted. */
  tableItems(table: string): Promise<string[]>;
  /** Makes every GET of a key under `prefix` hang until `release()` (at most 120 s). */
  holdReads(prefix: string): HeldReads;
  stop(): Promise<void>;
}

export interface HeldReads {
  /** GETs that arrived and are being held. */
  readonly arrived: number;
  release(): void;
}

/**
 * Starts an S3-compatible and a DynamoDB-compatible server in this process, on loopback
 * ports the OS picks. `directory` holds s3rver's objects and must be a temp folder.
 */
export async function startStateServers(directory: string): Promise<StateServers> {
  const s3rver = new S3rver({ address: LOOPBACK, port: 0, silent: true, directory });
  s3rver.middleware.unshift(conditionalWrites(s3rver));
  const held = new Map<string, { arrived: number; gate: Promise<void>; release: () => void }>();
  s3rver.middleware.unshift(async (ctx, next) => {
    const key = decodeURIComponent(ctx.path).replace(/^\/[^/]+\//, "");
    const hold = ctx.method === "GET" ? [...held].find(([prefix]) => key.startsWith(prefix))?.[1] : undefined;
    if (hold) {
      hold.arrived++;
      await Promise.race([hold.gate, new Promise((resolve) => setTimeout(resolve, 120_000).unref())]);
    }
    return next();
  });
  const s3Address = await s3rver.run();
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => dynamo.once("error", reject).listen(0, LOOPBACK, resolve));

  const s3Endpoint = `http://${LOOPBACK}:${s3Address.port}`;
  const dynamodbEndpoint = `http://${LOOPBACK}:${(dynamo.address() as AddressInfo).port}`;
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 };
  // s3rver predates S3's default checksums; ask for them only where S3 requires them.
  const s3 = new S3Client({ ...common, endpoint: s3Endpoint, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
  const dynamodb = new DynamoDBClient({ ...common, endpoint: dynamodbEndpoint });

  return {
    s3Endpoint,
    dynamodbEndpoint,
    s3,
    dynamodb,
    async createBucket(name) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    },
    async createLockTable(name) {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
      await waitFor(
        `table ${name} to become active`,
        async () => (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus === "ACTIVE",
        10_000,
      );
    },
    async objectKeys(bucket, prefix) {
      const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (listing.Contents ?? []).map((o) => o.Key!).sort();
    },
    async objectText(bucket, key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return object.Body!.transformToString();
    },
    async putObject(bucket, key, body) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async tableItems(table) {
      const scan = await dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
      return (scan.Items ?? []).map((item) => item.LockID?.S ?? "").sort();
    },
    holdReads(prefix) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const hold = { arrived: 0, gate, release };
      held.set(prefix, hold);
      return {
        get arrived() {
          return hold.arrived;
        },
        release() {
          held.delete(prefix);
          hold.release();
        },
      };
    },
    async stop() {
      for (const hold of held.values()) hold.release();
      s3.destroy();
      dynamodb.destroy();
      await Promise.allSettled([closeServer(s3rver.httpServer), closeServer(dynamo)]);
    },
  };
}

function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

type ConditionalMiddleware = S3rver["middleware"][number];

/**
 * s3rver 3.7 ignores `If-None-Match: *` on PutObject and overwrites. S3 refuses such a write
 * with 412 when the key exists, and Terraform's S3 lock file (use_lockfile) relies on exactly
 * that; without it two applies would both "take" the lock. Conditional writes to one key are
 * serialized so that the existence check and the write are atomic, as in S3.
 */
export function conditionalWrites(server: S3rver): ConditionalMiddleware {
  const pending = new Map<string, Promise<void>>();
  return async (ctx, next) => {
    if (ctx.method !== "PUT" || ctx.get("if-none-match").trim() !== "*") return next();
    const [bucket, ...rest] = decodeURIComponent(ctx.path).replace(/^\//, "").split("/");
    const key = rest.join("/");
    if (!key) return next();

    const previous = pending.get(ctx.path) ?? Promise.resolve();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const mine = previous.then(() => gate);
    pending.set(ctx.path, mine);
    await previous;
    try {
      if (await server.store.existsObject(bucket, key)) {
        ctx.status = 412;
        ctx.type = "application/xml";
        ctx.body =
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
          "<Message>At least one of the pre-conditions you specified did not hold</Message>" +
          "<Condition>If-None-Match</Condition></Error>";
        return;
      }
      await next();
    } finally {
      release();
      if (pending.get(ctx.path) === mine) pending.delete(ctx.path);
    }
  };
}
