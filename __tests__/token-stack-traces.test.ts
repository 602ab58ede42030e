/**
 * cdktf's token creation stacks (lib/token-stack-traces.ts): not recorded by default, recorded as
 * cdktf records them and formatted on first read with SIROS_TOKEN_STACK_TRACES=1.
 */
import { Lazy } from "cdktf";
import {
  captureStackTraceDeferred,
  CDKTF_STACK_TRACE_MODULE,
  NOT_RECORDED,
  setTokenStackTraces,
  tokenStackTracesFrom,
  type TokenStackTraces,
} from "../lib/token-stack-traces";

// This file's cdktf, as its tokens see it (setup.js already set the mode from the environment).
const cdktfStackTrace = require(CDKTF_STACK_TRACE_MODULE) as { captureStackTrace: ((below?: Function) => string[]) & { mode?: TokenStackTraces } };

function createsTheToken() {
  return Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] };
}

describe("token creation stacks", () => {
  afterAll(() => setTokenStackTraces("off", require));

  test("the setup installed the environment's mode in the cdktf these tests use (off unless asked)", () => {
    expect(cdktfStackTrace.captureStackTrace.mode).toBe(tokenStackTracesFrom(process.env));
  });

  test("off: a token's creation stack says how to record it", () => {
    setTokenStackTraces("off", require);
    expect(createsTheToken().creationStack).toEqual([
      "(token creation stacks are not recorded; synthesize again with SIROS_TOKEN_STACK_TRACES=1 to see where this token was created)",
    ]);
    expect(createsTheToken().creationStack).toBe(NOT_RECORDED);
  });

  test("recorded: the same frames as cdktf's own capture at the same point, formatted when read", () => {
    // One call site for both, so the frames above it are the same.
    function probe(capture: (below?: Function) => string[]): string[] {
      return capture(probe);
    }
    jest.isolateModules(() => {
      const fresh = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: (below?: Function) => string[] };
      const [cdktfs, deferred] = [fresh.captureStackTrace, captureStackTraceDeferred].map((capture) => probe(capture));
      expect(deferred.length).toBeGreaterThan(3);
      expect([...deferred]).toEqual(cdktfs);
      expect(deferred.join("\n")).toBe(cdktfs.join("\n"));
    });
  });

  test("recorded: a token's creation stack names where it was created, from its creator down (the capture hides itself)", () => {
    setTokenStackTraces("deferred", require);
    const { creationStack } = createsTheToken();
    expect(creationStack[0]).toMatch(/^new LazyBase /);
    expect(creationStack.some((frame) => frame.includes("createsTheToken"))).toBe(true);
    expect(creationStack.filter((frame) => /token-stack-traces\.test\.ts:\d+:\d+\)$/.test(frame)).length).toBeGreaterThan(0);
  });

  test.each([
    [{}, "off"],
    [{ SIROS_TOKEN_STACK_TRACES: "" }, "off"],
    [{ SIROS_TOKEN_STACK_TRACES: "0" }, "off"],
    [{ SIROS_TOKEN_STACK_TRACES: "false" }, "off"],
    [{ SIROS_TOKEN_STACK_TRACES: "1" }, "deferred"],
    [{ SIROS_TOKEN_STACK_TRACES: " TRUE " }, "deferred"],
  ])("SIROS_TOKEN_STACK_TRACES from %j: %s", (env, mode) => {
    expect(tokenStackTracesFrom(env)).toBe(mode);
  });

  test("fails if SIROS_TOKEN_STACK_TRACES is not a switch, naming it, the value and what is valid", () => {
    expect(() => tokenStackTracesFrom({ SIROS_TOKEN_STACK_TRACES: "yes" })).toThrow(
      'Invalid synth settings (1 problem):\n  - SIROS_TOKEN_STACK_TRACES: "yes" is not a switch; use 1 to record where each token was created (slower), or 0',
    );
  });

  test("fails if cdktf has no captureStackTrace where 0.21 has it, naming the module", () => {
    expect(() => setTokenStackTraces("off", () => ({}))).toThrow(
      "cdktf/lib/tokens/private/stack-trace has no captureStackTrace function: this cdktf is not the 0.21 this project pins",
    );
  });
});
