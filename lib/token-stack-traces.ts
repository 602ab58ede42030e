/**
 * cdktf 0.21 records, for every token it creates (each reference to another resource's attribute,
 * each complex list or map), the full stack trace of its creation, formatted into strings on the spot
 * (`captureStackTrace` in cdktf/lib/tokens/private/stack-trace.js). Only an error about that token
 * ever reads it, yet the formatting alone took about a quarter of the CPU time of synthesizing every
 * stack (measured with `node --cpu-prof`: V8's `prepareStackTrace`, then splitting the text).
 *
 * `deferTokenStackTraces` keeps the capture exactly as cdktf makes it (same frames, same depth, same
 * point) and defers only the formatting to the first read: the trace a token error prints is the
 * same text as before. cdktf's modules call `stack_trace_1.captureStackTrace(...)` through the module's
 * exports object at each call, so replacing that export takes effect for every caller. Its shape is
 * checked first: another cdktf version without it fails loudly here instead of silently slowing down.
 */
import { createRequire } from "node:module";

type CaptureStackTrace = (below?: Function) => string[];
interface StackTraceModule {
  captureStackTrace: CaptureStackTrace & { deferred?: true };
}

/** The module path inside cdktf whose export every token constructor calls. */
export const CDKTF_STACK_TRACE_MODULE = "cdktf/lib/tokens/private/stack-trace";

/**
 * Replaces cdktf's `captureStackTrace` with one that formats on first read. `from` is a file whose
 * `require` resolves the same cdktf as the app's (Jest gives each test file its own module registry,
 * so its setup file passes its own `require`). Idempotent.
 */
export function deferTokenStackTraces(load: (id: string) => unknown = createRequire(__filename)): void {
  const module = load(CDKTF_STACK_TRACE_MODULE) as Partial<StackTraceModule> | undefined;
  if (typeof module?.captureStackTrace !== "function") {
    throw new Error(`${CDKTF_STACK_TRACE_MODULE} has no captureStackTrace function: this cdktf is not the 0.21 this project pins`);
  }
  if (module.captureStackTrace.deferred) return;
  module.captureStackTrace = Object.assign(captureStackTraceDeferred, { deferred: true as const });
}

/** cdktf's capture (Error.captureStackTrace with an unlimited depth, hiding `below` and above), formatted on first read. */
export function captureStackTraceDeferred(below?: Function): string[] {
  const holder: { stack?: string } = {};
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
    Error.captureStackTrace(holder, below ?? captureStackTraceDeferred);
  } finally {
    Error.stackTraceLimit = previousLimit;
  }
  return lazyArray(() => (holder.stack ? holder.stack.split("\n").slice(1).map((line) => line.replace(/^\s*at\s+/, "")) : []));
}

/** An array whose elements are computed on the first access of any of its properties. */
function lazyArray<T>(compute: () => T[]): T[] {
  let array: T[] | undefined;
  const materialized = (): T[] => (array ??= compute());
  return new Proxy<T[]>([], {
    get(_target, property) {
      const target = materialized();
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
    has: (_target, property) => Reflect.has(materialized(), property),
    ownKeys: () => Reflect.ownKeys(materialized()),
    getOwnPropertyDescriptor: (_target, property) => Reflect.getOwnPropertyDescriptor(materialized(), property),
  });
}
