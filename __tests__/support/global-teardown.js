const { rmSync } = require("node:fs");

module.exports = async function globalTeardown() {
  if (process.env.SIROS_TEST_RUN_DIR) rmSync(process.env.SIROS_TEST_RUN_DIR, { recursive: true, force: true });
};
