import { Lazy } from "cdktf";
import { setTokenStackTraces, tokenStackTracesFrom } from "../../../lib/token-stack-traces";

/**
 * An app entry point for the startup snapshot's tests (app-snapshot.test.ts), run through
 * tools/app.js: it sets the token creation stacks from SIROS_TOKEN_STACK_TRACES as the app runner
 * does, creates one token, and prints a line of JSON: the token's creation stack, the flags of this
 * Node (`--snapshot-blob ...` when it started from the packages' snapshot) and its pid.
 * PROBE=throw then throws an error; PROBE=wait keeps running for a minute.
 */
setTokenStackTraces(tokenStackTracesFrom(process.env));
const token = Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] };
console.log(JSON.stringify({ creationStack: [...token.creationStack], execArgv: process.execArgv, pid: process.pid }));
if (process.env.PROBE === "throw") throw new Error("the probe failed on purpose");
if (process.env.PROBE === "wait") setTimeout(() => undefined, 60_000);
