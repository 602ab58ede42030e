/**
 * cdktf's token creation stacks, formatted on first read instead of at creation
 * (lib/token-stack-traces.ts): the same text, only later.
 */
import { Lazy } from "cdktf";
import { captureStackTraceDeferred, CDKTF_STACK_TRACE_MODULE, deferTokenStackTraces } from "../lib/token-stack-traces";

// This file's cdktf, as its tokens see it (setup.js already deferred it).
const cdktfStackTrace = require(CDKTF_STACK_TRACE_MODULE) as { captureStackTrace: ((below?: Function) => string[]) & { deferred?: true } };

describe("deferred token stack traces", () => {
  test("the setup installed it in the cdktf these tests use", () => {
    expect(cdktfStackTrace.captureStackTrace.deferred).toBe(true);
  });

  test("reads the same frames as cdktf's own capture at the same point", () => {
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

  test("a token's creation stack still names where it was created, when read", () => {
    function createsTheToken() {
      return Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] };
    }
    const { creationStack } = createsTheToken();
    expect(creationStack.filter((frame) => /token-stack-traces\.test\.ts:\d+:\d+\)$/.test(frame)).length).toBeGreaterThan(0);
    expect(creationStack.some((frame) => frame.includes("createsTheToken"))).toBe(true);
  });

  test("installing twice keeps one deferral", () => {
    const installed = cdktfStackTrace.captureStackTrace;
    deferTokenStackTraces(require);
    expect(cdktfStackTrace.captureStackTrace).toBe(installed);
  });

  test("fails if cdktf has no captureStackTrace where 0.21 has it, naming the module", () => {
    expect(() => deferTokenStackTraces(() => ({}))).toThrow(
      "cdktf/lib/tokens/private/stack-trace has no captureStackTrace function: this cdktf is not the 0.21 this project pins",
    );
  });
});
