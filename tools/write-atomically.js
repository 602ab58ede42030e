// @ts-check
const { mkdirSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { dirname } = require("node:path");

/**
 * Writes under a temporary name, then renames: readers (another synth running at the same time)
 * see the old file or the new one, never half of one.
 * @param {string} file
 * @param {string | Buffer} content
 */
function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}

module.exports = { writeAtomically };
