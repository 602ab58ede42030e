// @ts-check
const { spawn } = require("node:child_process");
const { constants } = require("node:os");

/** What stops a run from outside: passed on to the child, which decides how to stop. */
const FORWARDED = /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"]);

/**
 * Runs a command with this process's standard streams and waits for it. SIGINT, SIGTERM and SIGHUP
 * sent to this process are passed on to it, so that stopping the runner (a CI timeout, the cdktf
 * CLI giving up) stops the app too, instead of leaving it writing output behind.
 * @param {string} file
 * @param {readonly string[]} args
 * @param {import("node:child_process").SpawnOptions} options
 * @returns {Promise<{ status: number | null, signal: NodeJS.Signals | null, error?: Error }>}
 */
function runChild(file, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { ...options, stdio: "inherit" });
    const forward = (/** @type {NodeJS.Signals} */ signal) => child.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    let settled = false;
    const settle = (/** @type {{ status: number | null, signal: NodeJS.Signals | null, error?: Error }} */ result) => {
      if (settled) return;
      settled = true;
      for (const signal of FORWARDED) process.off(signal, forward);
      resolve(result);
    };
    child.on("error", (error) => settle({ status: null, signal: null, error }));
    child.on("exit", (status, signal) => settle({ status, signal }));
  });
}

/**
 * Ends this process as the child ended: by the same signal when it was one that stops a run
 * (SIGINT, SIGTERM, SIGHUP: with the default action, the forwarding handlers being gone); after
 * any other signal (an abort on running out of memory), with the shell's code for it, 128 + its
 * number, rather than raising it here too (no core dump of the runner); else with its exit code.
 * @param {{ status: number | null, signal: NodeJS.Signals | null }} result
 */
function endLike(result) {
  if (result.signal && /** @type {readonly string[]} */ (FORWARDED).includes(result.signal)) process.kill(process.pid, result.signal);
  process.exitCode = result.signal ? 128 + (constants.signals[result.signal] ?? 0) : (result.status ?? 1);
}

module.exports = { FORWARDED, endLike, runChild };
