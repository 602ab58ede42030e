// Registers cdktf's matchers (toHaveResourceWithProperties, toHaveProvider, ...).
require("cdktf").Testing.setupJest();
