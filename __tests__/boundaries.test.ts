import { join } from "node:path";
import { boundaryViolations, environmentReaders, projectImports, projectSources } from "../tools/checks/boundaries";

const ROOT = join(__dirname, "..");

test("the project's sources keep every dependency rule", () => {
  const sources = projectSources(ROOT);
  expect(sources.map((s) => s.path)).toEqual(expect.arrayContaining(["lib/cidr.ts", "lib/run-app.ts", "modules/network/contract.ts", "environments/validate.ts", "backends/bootstrap-app.ts"]));
  expect(boundaryViolations(sources)).toEqual([]);
});

test("resolves relative imports, type-only and re-exports included, to project paths", () => {
  const text = [
    `import type { A } from "../../environments/types";`,
    `import { b } from "./subnet-plan";`,
    `export { c } from "../../lib/cidr";`,
    `import "../../lib/side-effect";`,
    `import { Vpc } from "@cdktf/provider-aws/lib/vpc";`,
  ].join("\n");
  expect(projectImports({ path: "modules/network/aws.ts", text })).toEqual([
    "environments/types.ts",
    "modules/network/subnet-plan.ts",
    "lib/cidr.ts",
    "lib/side-effect.ts",
  ]);
});

test("fails if a module imports environments/ or reads environment variables", () => {
  expect(
    boundaryViolations([
      { path: "modules/network/contract.ts", text: `import type { IngressRule } from "../../environments/types";` },
      { path: "modules/network/aws.ts", text: `const region = process.env.AWS_REGION;` },
    ]),
  ).toEqual([
    "modules/network/contract.ts: imports environments/types.ts (modules never import environments/ (they get values as props))",
    "modules/network/aws.ts: modules never read environment variables",
  ]);
});

test("fails if environments import a module implementation, but not a contract", () => {
  expect(
    boundaryViolations([
      { path: "environments/validate.ts", text: `import { MAX_ZONES } from "../modules/network/subnet-plan";\nimport { parseCidr } from "../modules/network/cidr";` },
      { path: "environments/types.ts", text: `import type { NetworkProps } from "../modules/network/contract";` },
    ]),
  ).toEqual([
    "environments/validate.ts: imports modules/network/subnet-plan.ts (environments never import module implementations (contract types only))",
    "environments/validate.ts: imports modules/network/cidr.ts (environments never import module implementations (contract types only))",
  ]);
});

test("fails if backends import stacks/ or lib/ imports the rest of the project", () => {
  expect(
    boundaryViolations([
      { path: "backends/bootstrap-app.ts", text: `import { runApp } from "../stacks/run";` },
      { path: "lib/run-app.ts", text: `import { ConfigError } from "../environments/errors";` },
    ]),
  ).toEqual([
    "backends/bootstrap-app.ts: imports stacks/run.ts (backends never import stacks/ (the app runner lives in lib/))",
    "lib/run-app.ts: imports environments/errors.ts (lib/ is the bottom layer: it imports nothing of the project outside lib/)",
  ]);
});

test("only the entry points, the app runner and the tools read environment variables, as the README says", () => {
  expect(environmentReaders(projectSources(ROOT))).toEqual(["backends/bootstrap-app.ts", "lib/run-app.ts", "main.ts", "tools/bench.ts", "tools/diff.ts", "tools/mutate.ts"]);
});

test("reading the environment in a comment or a string does not count; in code it does", () => {
  expect(
    environmentReaders([
      { path: "a.ts", text: `// process.env is read by main.ts\n/** process.env */\nconst s = "process.env.X";` },
      { path: "b.ts", text: "const region = process.env.AWS_REGION;" },
    ]),
  ).toEqual(["b.ts"]);
});
