/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // swc strips types without type-checking; the type-check is its own test (typecheck.test.ts).
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.js"],
  // The project's stacks are synthesized once per run, into a folder these create and remove.
  globalSetup: "<rootDir>/__tests__/support/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.js",
  // Jest's default leaves one of two cores idle (cores - 1 workers): the suite is CPU-bound, use both.
  maxWorkers: "100%",
  testPathIgnorePatterns: ["/node_modules/", "/e2e/"],
};
