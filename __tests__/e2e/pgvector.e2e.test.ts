import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The pgvector bootstrap (modules/database/sql/bootstrap.sql) on a real PostgreSQL with
 * pgvector: PGlite (PostgreSQL 18 compiled to WebAssembly, offline) with its vector extension
 * (pgvector 0.8), run in a Node process of its own (support/pglite-session.mjs). PGlite is
 * single-user: roles and grants are real catalog entries and SET ROLE enforces them, but there
 * is no second login to connect as, so the application role is tested through SET ROLE.
 */
const ROOT = join(__dirname, "..", "..");
const BOOTSTRAP = readFileSync(join(ROOT, "modules", "database", "sql", "bootstrap.sql"), "utf8");
const SESSION = join(__dirname, "support", "pglite-session.mjs");
const DIMENSIONS = 1536;

type Step = { exec: string } | { query: string; params?: unknown[] };
type Result = { rows: Record<string, unknown>[] } | { error: string };

/** Runs the steps, in order, on one fresh database. */
function session(steps: readonly Step[]): Result[] {
  const out = execFileSync(process.execPath, [SESSION], { cwd: ROOT, input: JSON.stringify(steps), maxBuffer: 64 * 1024 * 1024, timeout: 180_000 });
  return JSON.parse(out.toString("utf8")) as Result[];
}
const rowsOf = (result: Result) => {
  if ("error" in result) throw new Error(`statement failed: ${result.error}`);
  return result.rows;
};
const errorOf = (result: Result) => ("error" in result ? result.error : "(no error)");

/** A vector along `axis`, tilted towards `towards` by `tilt`: its cosine distance to the bare axis grows with the tilt. */
function embedding(axis: number, towards = axis, tilt = 0): string {
  const values = new Array<number>(DIMENSIONS).fill(0);
  values[axis] = 1;
  values[towards] += tilt;
  return `[${values.join(",")}]`;
}

const STORED: [string, string][] = [
  // Opposite to the query's axis: cosine distance 2, the farthest there is (an orthogonal axis, as
  // "other-axis", is at 1; two rows at 1 would tie, and the index could return either fourth).
  ["far", embedding(0, 0, -2)],
  ["near", embedding(0, 1, 0.2)],
  ["nearest", embedding(0, 1, 0.05)],
  ["middle", embedding(0, 1, 1)],
  ["other-axis", embedding(1)],
];

describe("pgvector bootstrap on PostgreSQL with pgvector (PGlite)", () => {
  let results: Result[];

  beforeAll(() => {
    results = session([
      /* 0 */ { exec: BOOTSTRAP },
      /* 1 */ { exec: BOOTSTRAP },
      /* 2 */ {
        query: `SELECT (SELECT count(*)::int FROM pg_extension WHERE extname = 'vector') AS extensions,
                       (SELECT count(*)::int FROM pg_roles WHERE rolname = 'siros_app' AND NOT rolcanlogin) AS roles,
                       (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'siros') AS tables,
                       (SELECT count(*)::int FROM pg_indexes WHERE schemaname = 'siros' AND indexname = 'embeddings_embedding_hnsw') AS indexes`,
      },
      /* 3 */ { query: "SELECT indexdef FROM pg_indexes WHERE indexname = 'embeddings_embedding_hnsw'" },
      ...STORED.map(([documentId, value]) => ({ query: "INSERT INTO siros.embeddings (document_id, content, embedding) VALUES ($1, $2, $3)", params: [documentId, `text of ${documentId}`, value] })),
      /* 9 */ { exec: "SET enable_seqscan = off" },
      /* 10 */ { query: `EXPLAIN SELECT id FROM siros.embeddings ORDER BY embedding <=> '${embedding(0)}' LIMIT 3` },
      /* 11 */ { query: "SELECT document_id, embedding <=> $1 AS distance FROM siros.embeddings ORDER BY embedding <=> $1 LIMIT 4", params: [embedding(0)] },
      /* 12 */ { exec: "RESET enable_seqscan; SET ROLE siros_app" },
      /* 13 */ { query: "INSERT INTO siros.embeddings (document_id, content, embedding) VALUES ('app', 'written by the app', $1)", params: [embedding(2)] },
      /* 14 */ { query: "SELECT count(*)::int AS n FROM siros.embeddings WHERE document_id = 'app'" },
      /* 15 */ { exec: "CREATE TABLE siros.intruder (id int)" },
      /* 16 */ { exec: "CREATE TABLE public.intruder (id int)" },
      /* 17 */ { exec: "DROP TABLE siros.embeddings" },
      /* 18 */ { exec: "TRUNCATE siros.embeddings" },
      /* 19 */ { exec: "RESET ROLE" },
      /* 20 */ { query: "SELECT count(*)::int AS n FROM siros.embeddings" },
    ]);
  }, 240_000);

  test("runs twice without error and creates each object once", () => {
    expect(rowsOf(results[0])).toEqual([]);
    expect(rowsOf(results[1])).toEqual([]);
    expect(rowsOf(results[2])).toEqual([{ extensions: 1, roles: 1, tables: 1, indexes: 1 }]);
  });

  test("indexes the embeddings with HNSW for cosine distance", () => {
    expect(rowsOf(results[3])).toEqual([
      { indexdef: "CREATE INDEX embeddings_embedding_hnsw ON siros.embeddings USING hnsw (embedding vector_cosine_ops) WITH (m='16', ef_construction='64')" },
    ]);
  });

  test("a nearest-neighbour query through the HNSW index returns the closest rows, nearest first", () => {
    results.slice(4, 9).forEach((result) => expect(rowsOf(result)).toEqual([]));
    const plan = rowsOf(results[10]).map((row) => row["QUERY PLAN"]).join("\n");
    expect(plan).toContain("Index Scan using embeddings_embedding_hnsw on embeddings");
    const nearest = rowsOf(results[11]) as { document_id: string; distance: number }[];
    expect(nearest.map((row) => row.document_id)).toEqual(["nearest", "near", "middle", "other-axis"]);
    // The cosine distance of [1, t] to [1, 0] is 1 - 1/sqrt(1 + t^2); of an orthogonal axis, 1.
    expect(nearest[0].distance).toBeCloseTo(1 - 1 / Math.sqrt(1 + 0.05 ** 2), 6);
    expect(nearest[1].distance).toBeCloseTo(1 - 1 / Math.sqrt(1 + 0.2 ** 2), 6);
    expect(nearest[2].distance).toBeCloseTo(1 - 1 / Math.sqrt(2), 6);
    expect(nearest[3].distance).toBeCloseTo(1, 6);
  });

  test("the application role reads and writes rows", () => {
    expect(rowsOf(results[13])).toEqual([]);
    expect(rowsOf(results[14])).toEqual([{ n: 1 }]);
  });

  test("fails if the application role creates, drops or truncates tables", () => {
    expect(errorOf(results[15])).toBe("permission denied for schema siros");
    expect(errorOf(results[16])).toBe("permission denied for schema public");
    expect(errorOf(results[17])).toBe("must be owner of table embeddings");
    expect(errorOf(results[18])).toBe("permission denied for table embeddings");
    expect(rowsOf(results[20])).toEqual([{ n: 6 }]);
  });
});
