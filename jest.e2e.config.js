/**
 * `npm run test:e2e`: real cdktf and Terraform runs against local S3- and DynamoDB-compatible
 * servers (see README). Kept apart from jest.config.js, which ignores /e2e/.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__/e2e"],
  testMatch: ["**/*.e2e.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] },
  // Fails the whole run, before any test, when the Terraform CLI is missing or too old.
  globalSetup: "<rootDir>/__tests__/e2e/support/global-setup.ts",
  // The work is mostly waiting on child processes, so two files at a time fit on two cores.
  maxWorkers: 2,
  testTimeout: 240_000,
};
