// Registers cdktf's matchers (toHaveResourceWithProperties, ...).
require("cdktf").Testing.setupJest();
// As the app does (lib/run-app.ts): tokens format their creation stack only when an error reads it.
// Each test file has its own module registry, so this file's `require` reaches that file's cdktf.
require("../lib/token-stack-traces").deferTokenStackTraces(require);
