#!/usr/bin/env node
// A stand-in for the Terraform CLI in unit tests of `npm run diff`: `version` and `init`
// succeed; `plan` behaves as FAKE_TF_PLAN says, holding a "lock" (the file FAKE_TF_LOCK)
// while it runs, as Terraform holds the state lock, and releasing it when interrupted.
//   hang        wait; on SIGINT release the lock and exit 1, as Terraform does
//   stubborn    wait; ignore SIGINT (only SIGKILL ends it; the lock stays)
//   grandchild  start a process in its own group that keeps stdout open, then exit 0
//   no-changes  print the arguments and "No changes.", exit 0
const { spawn } = require("node:child_process");
const { appendFileSync, rmSync, writeFileSync } = require("node:fs");

const [command] = process.argv.slice(2);
// FAKE_TF_ARGS records every command line, one per line.
if (process.env.FAKE_TF_ARGS) appendFileSync(process.env.FAKE_TF_ARGS, `${process.argv.slice(2).join(" ")}\n`);
const lock = process.env.FAKE_TF_LOCK;
if (command === "version") {
  console.log("Terraform v1.11.4");
  process.exit(0);
}
if (command === "init") {
  console.log("Terraform has been successfully initialized!");
  process.exit(0);
}
const mode = process.env.FAKE_TF_PLAN;
console.log(`args: ${process.argv.slice(3).join(" ")}`);
if (mode === "no-changes") {
  console.log("No changes. Your infrastructure matches the configuration.");
  process.exit(0);
}
if (mode === "grandchild") {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { detached: true, stdio: ["ignore", "inherit", "inherit"] });
  writeFileSync(process.env.FAKE_TF_GRANDCHILD, String(child.pid));
  console.log("No changes.");
  process.exit(0);
}
// Listening for Ctrl-C before taking the "lock": an interrupt that arrives as soon as the lock
// exists must find the handler (Node's default would end the process and leave the lock).
process.on("SIGINT", () => {
  if (mode === "stubborn") return;
  console.log("Interrupt received. Gracefully shutting down...");
  setTimeout(() => {
    if (lock) rmSync(lock, { force: true });
    console.log("Releasing state lock. This may take a few moments...");
    process.exit(1);
  }, 200);
});
if (lock) writeFileSync(lock, "held");
// As Terraform's S3 backend logs the lock it takes (at INFO, when TF_LOG_CORE asks for it).
if (process.env.TF_LOG_CORE && process.env.TF_LOG_PATH) {
  appendFileSync(process.env.TF_LOG_PATH, `[INFO]  backend-s3: Attempting to lock remote state (DynamoDB only)...: tf_backend.lock.id=${process.env.FAKE_TF_LOCK_ID} tf_backend.operation=Lock\n`);
}
console.log("Acquiring state lock. This may take a few moments...");
setInterval(() => {}, 1000);
