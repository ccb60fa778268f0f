/**
 * PostgreSQL through `pg`: a pool; each write batch is one REPEATABLE READ
 * transaction, committed with PostgreSQL's default synchronous_commit
 * (durable at ack). Racing servers collide on the unique (name,
 * prev_revision) index or on serialization, and the loser runs again.
 */
import pg from "pg";
import type { Dialect, Querier, SqlDb, SqlRow, SqlValue } from "../generic/sql.ts";
import { SqlStore } from "../generic/sql-store.ts";
import { retryConnect } from "../generic/retry.ts";

/** Options of the PostgreSQL driver. */
export interface PostgresOptions {
  /** postgres://user:pass@host:port/db?sslmode=... */
  url: string;
  /** created if missing */
  database: string;
  maxOpenConns?: number;
  connectTimeoutMs?: number;
  log?: (msg: string) => void;
}

const dialect: Dialect = {
  name: "postgres",
  singleWriter: false,
  schema: [
    `CREATE TABLE IF NOT EXISTS kine (id BIGSERIAL PRIMARY KEY, name text COLLATE "C" NOT NULL, created INTEGER, deleted INTEGER,
      create_revision BIGINT, prev_revision BIGINT, lease BIGINT, value bytea, old_value bytea, version BIGINT NOT NULL DEFAULT 0)`,
    "ALTER TABLE kine ADD COLUMN IF NOT EXISTS version BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE kine ADD COLUMN IF NOT EXISTS txn_revision BIGINT",
    "ALTER TABLE kine ADD COLUMN IF NOT EXISTS prev_txn_revision BIGINT",
    "CREATE INDEX IF NOT EXISTS kine_txn_revision_index ON kine (txn_revision) WHERE txn_revision IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS kine_name_index ON kine (name)",
    "CREATE INDEX IF NOT EXISTS kine_name_id_index ON kine (name, id)",
    "CREATE INDEX IF NOT EXISTS kine_id_deleted_index ON kine (id, deleted)",
    "CREATE INDEX IF NOT EXISTS kine_prev_revision_index ON kine (prev_revision)",
    "CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision_uindex ON kine (name, prev_revision)",
    `CREATE TABLE IF NOT EXISTS kine_latest (name text COLLATE "C" PRIMARY KEY, id BIGINT NOT NULL, deleted INTEGER NOT NULL)`,
    "CREATE TABLE IF NOT EXISTS kine_lease (id BIGINT PRIMARY KEY, ttl BIGINT NOT NULL, expires_at BIGINT NOT NULL)",
  ],
  isDuplicateSchemaError: (err) => ["42P07", "42701", "23505"].includes(pgCode(err)),
  isUniqueViolation: (err) => pgCode(err) === "23505",
  isSerializationFailure: (err) => ["40001", "40P01"].includes(pgCode(err)),
  upsertLatest:
    "INSERT INTO kine_latest(name, id, deleted) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET id = excluded.id, deleted = excluded.deleted",
  insertAndIndex: `WITH ins AS (
      INSERT INTO kine(name, created, deleted, create_revision, prev_revision, lease, value, old_value, version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, name, deleted)
    INSERT INTO kine_latest(name, id, deleted) SELECT name, id, deleted FROM ins
    ON CONFLICT (name) DO UPDATE SET id = excluded.id, deleted = excluded.deleted RETURNING id`,
  compactSuperseded:
    "DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE name != 'compact_rev_key' AND prev_revision != 0 AND id <= ?) AND id <= ?",
  sizeQuery: "SELECT pg_total_relation_size('kine') AS size",
};

function pgCode(err: unknown): string {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : "";
}

const converted = new Map<string, string>();
const statementNames = new Map<string, string>();

/** a query config that uses a server-side prepared statement (parsed and planned once per connection) */
function prepared(sql: string, params: readonly SqlValue[]): pg.QueryConfig {
  const text = toPg(sql);
  let name = statementNames.get(text);
  if (!name) {
    // list queries inline their LIMIT: stop naming new texts rather than pile up statements per connection
    if (statementNames.size >= 200) return { text, values: params as SqlValue[] };
    name = `kine_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return { name, text, values: params as SqlValue[] };
}

/** rewrites `?` placeholders as $1, $2, ... (values are always bound, never inlined) */
function toPg(sql: string): string {
  let out = converted.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (/^INSERT INTO kine\(/.test(sql)) out += " RETURNING id";
    converted.set(sql, out);
  }
  return out;
}

class PgQuerier implements Querier {
  constructor(private client: pg.PoolClient | pg.Pool) {}

  async all(sql: string, params: readonly SqlValue[]): Promise<SqlRow[]> {
    return (await this.client.query(prepared(sql, params))).rows as SqlRow[];
  }

  async run(sql: string, params: readonly SqlValue[]): Promise<{ changes: number; insertId: number }> {
    const r = await this.client.query(prepared(sql, params));
    const id = r.rows[0] && "id" in r.rows[0] ? Number(r.rows[0].id) : 0;
    return { changes: r.rowCount ?? 0, insertId: id };
  }
}

class PgDb implements SqlDb {
  constructor(private pool: pg.Pool) {}

  private async tx<T>(begin: string, fn: (q: Querier) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await fn(new PgQuerier(client));
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  read<T>(fn: (q: Querier) => Promise<T>): Promise<T> {
    return this.tx("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
  }

  write<T>(fn: (q: Querier) => Promise<T>): Promise<T> {
    // one snapshot for every read of the batch: a write never rests on a row newer than the one it checked
    return this.tx("BEGIN ISOLATION LEVEL REPEATABLE READ", fn);
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

async function ensureDatabase(opts: PostgresOptions): Promise<void> {
  const admin = new URL(opts.url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const r = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [opts.database]);
    if (r.rowCount === 0) {
      await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, '""')}"`).catch((err: unknown) => {
        if (pgCode(err) !== "42P04") throw err;
      });
    }
  } finally {
    await client.end();
  }
}

/** a kine log store in a PostgreSQL database (created if missing) */
export async function postgresStore(opts: PostgresOptions): Promise<SqlStore> {
  await retryConnect(() => ensureDatabase(opts), { what: `postgres ${new URL(opts.url).host}`, timeoutMs: opts.connectTimeoutMs, log: opts.log });
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.maxOpenConns ?? 20, idleTimeoutMillis: 120_000 });
  pool.on("error", (err) => opts.log?.(`datastore: postgres pool: ${String(err)}`));
  return new SqlStore(new PgDb(pool), dialect);
}
