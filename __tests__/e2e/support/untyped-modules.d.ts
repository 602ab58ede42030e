// s3rver and dynalite ship no types; these declare only what the harness uses.

declare module "s3rver" {
  import type { Server } from "node:http";

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
  }

  interface KoaContext {
    method: string;
    path: string;
    status: number;
    type: string;
    body: unknown;
    get(header: string): string;
  }

  type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

  interface Store {
    existsObject(bucket: string, key: string): Promise<boolean>;
  }

  class S3rver {
    constructor(options: S3rverOptions);
    /** Koa's middleware chain, composed when the server starts. */
    middleware: Middleware[];
    store: Store;
    httpServer?: Server;
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }

  export = S3rver;
}

declare module "dynalite" {
  import type { Server } from "node:http";

  interface DynaliteOptions {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    path?: string;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
