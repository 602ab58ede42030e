// One folder per `jest` run, shared by its workers (they inherit this variable): the project's stacks
// are synthesized into it once, on first use (support/project-stacks.ts). Removed by global-teardown.js.
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

module.exports = async function globalSetup() {
  process.env.SIROS_TEST_RUN_DIR = mkdtempSync(join(tmpdir(), "siros-test-run-"));
};
