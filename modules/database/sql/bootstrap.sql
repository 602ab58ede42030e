-- Makes a fresh Siros database ready: the pgvector extension, the application's role with
-- least privilege, and the embeddings table with an HNSW index for cosine distance.
-- Idempotent: every statement checks before it creates, so running it again changes nothing.
-- Run it connected to the `siros` database as the administrator (see README: "pgvector bootstrap").

-- Azure: needs `azure.extensions` to allowlist VECTOR; OCI: a configuration allowlisting vector;
-- IBM: extensions land in the read-only ibm_extension schema, which is on the search path.
CREATE EXTENSION IF NOT EXISTS vector;

-- The application's group role: no login of its own. Each cloud's login (IAM database user,
-- or a password user) is granted it, so the privileges below live in one place.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'siros_app') THEN
    CREATE ROLE siros_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

-- Objects live in their own schema, owned by the administrator; nobody else may create in public.
CREATE SCHEMA IF NOT EXISTS siros;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON SCHEMA siros FROM PUBLIC;
GRANT USAGE ON SCHEMA siros TO siros_app;

-- 1536 dimensions: the embedding size of the models Siros uses (HNSW indexes vectors up to 2000).
CREATE TABLE IF NOT EXISTS siros.embeddings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id text NOT NULL,
  content text NOT NULL,
  embedding vector(1536) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS embeddings_embedding_hnsw
  ON siros.embeddings USING hnsw (embedding vector_cosine_ops)
  WITH (m = 16, ef_construction = 64);

-- Read and write rows; no DDL, no TRUNCATE, no ownership.
REVOKE ALL ON siros.embeddings FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON siros.embeddings TO siros_app;
