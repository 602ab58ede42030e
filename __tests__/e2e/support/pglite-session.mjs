// Runs a list of statements on one in-memory PGlite database with the pgvector extension and
// prints each result as JSON. A separate Node process, because PGlite loads its WebAssembly
// with dynamic imports that Jest's module system does not run.
// Input (stdin): [{ "exec": "sql" } | { "query": "sql", "params": [...] }, ...]
// Output (stdout): [{ "rows": [...] } | { "error": "message" }, ...]
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const steps = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const db = await PGlite.create({ extensions: { vector } });
const results = [];
for (const step of steps) {
  try {
    if (step.exec !== undefined) {
      await db.exec(step.exec);
      results.push({ rows: [] });
    } else {
      const { rows } = await db.query(step.query, step.params ?? []);
      results.push({ rows });
    }
  } catch (error) {
    results.push({ error: error instanceof Error ? error.message : String(error) });
  }
}
await db.close();
process.stdout.write(JSON.stringify(results));
