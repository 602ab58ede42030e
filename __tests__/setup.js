// Registers cdktf's matchers (toHaveResourceWithProperties, ...).
require("cdktf").Testing.setupJest();
// As the app does (lib/run-app.ts): tokens record their creation stack only with SIROS_TOKEN_STACK_TRACES=1.
// Each test file has its own module registry, so this file's `require` reaches that file's cdktf.
const traces = require("../lib/token-stack-traces");
traces.setTokenStackTraces(traces.tokenStackTracesFrom(process.env), require);
