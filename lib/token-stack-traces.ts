/**
 * cdktf 0.21 records, for every token it creates (each reference to another resource's attribute,
 * each complex list or map), the full stack trace of its creation, formatted into strings on the spot
 * (`captureStackTrace` in cdktf/lib/tokens/private/stack-trace.js). Only an error about that token
 * ever reads it, yet capturing and formatting took about a quarter of the CPU time of synthesizing
 * every stack (measured with `node --cpu-prof`: V8's `prepareStackTrace`, then splitting the text).
 *
 * As the AWS CDK does (creation stacks only under CDK_DEBUG), the app records them only when asked:
 * SIROS_TOKEN_STACK_TRACES=1 captures them exactly as cdktf does (same frames, same depth, same point)
 * and formats them on first read; by default a token's creation stack is one line saying how to get
 * it. cdktf's modules call `stack_trace_1.captureStackTrace(...)` through the module's exports object
 * at each call, so replacing that export takes effect for every caller. Its shape is checked first:
 * another cdktf version without it fails loudly here instead of silently slowing down.
 */
import { ConfigError } from "./errors";
// A literal require of that module (not a computed one), so tools/app.js sees it among the app's
// imports: the startup snapshot of the packages then holds it, and this patches the module the
// snapshot's cdktf calls.
import cdktfStackTrace = require("cdktf/lib/tokens/private/stack-trace");

type CaptureStackTrace = (below?: Function) => string[];
interface StackTraceModule {
  captureStackTrace: CaptureStackTrace & { mode?: TokenStackTraces };
}

/** `deferred`: recorded as cdktf records them, formatted when read; `off`: not recorded. */
export type TokenStackTraces = "deferred" | "off";

/** The module path inside cdktf whose export every token constructor calls. */
export const CDKTF_STACK_TRACE_MODULE = "cdktf/lib/tokens/private/stack-trace";
export const TOKEN_STACK_TRACES_VARIABLE = "SIROS_TOKEN_STACK_TRACES";
/** What a token's creation stack says when it was not recorded: how to record it. */
export const NOT_RECORDED: readonly string[] = Object.freeze([
  `(token creation stacks are not recorded; synthesize again with ${TOKEN_STACK_TRACES_VARIABLE}=1 to see where this token was created)`,
]);

/** SIROS_TOKEN_STACK_TRACES: 1 or true records them, 0, false or unset does not; anything else is refused. */
export function tokenStackTracesFrom(env: Readonly<Record<string, string | undefined>>): TokenStackTraces {
  const raw = env[TOKEN_STACK_TRACES_VARIABLE];
  const value = raw?.trim().toLowerCase() ?? "";
  if (value === "" || value === "0" || value === "false") return "off";
  if (value === "1" || value === "true") return "deferred";
  throw new ConfigError("Invalid synth settings", [
    `${TOKEN_STACK_TRACES_VARIABLE}: ${JSON.stringify(raw)} is not a switch; use 1 to record where each token was created (slower), or 0`,
  ]);
}

/**
 * Replaces cdktf's `captureStackTrace` for `mode`. `load` is a `require` that resolves the same cdktf
 * as the app's (Jest gives each test file its own module registry, so its setup file passes its own).
 */
export function setTokenStackTraces(mode: TokenStackTraces, load: (id: string) => unknown = () => cdktfStackTrace): void {
  const module = load(CDKTF_STACK_TRACE_MODULE) as Partial<StackTraceModule> | undefined;
  if (typeof module?.captureStackTrace !== "function") {
    throw new Error(`${CDKTF_STACK_TRACE_MODULE} has no captureStackTrace function: this cdktf is not the 0.21 this project pins`);
  }
  module.captureStackTrace = CAPTURES[mode];
}

/** What replaces cdktf's export, per mode; the deferred one hides itself as cdktf's hides itself. */
const CAPTURES: Readonly<Record<TokenStackTraces, CaptureStackTrace & { mode: TokenStackTraces }>> = {
  deferred: Object.assign((below?: Function): string[] => captureStackTraceDeferred(below ?? CAPTURES.deferred), { mode: "deferred" as const }),
  off: Object.assign((): string[] => NOT_RECORDED as string[], { mode: "off" as const }),
};

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
