/**
 * MySQL/MariaDB through mysql2: a pool at REPEATABLE READ (the unique
 * (name, prev_revision) index guards racing writers); InnoDB's default
 * flush-at-commit makes each acknowledged batch durable.
 */
import mysql from "mysql2/promise";
import type { Dialect, Querier, SqlDb, SqlRow, SqlValue } from "../generic/sql.ts";
import { SqlStore } from "../generic/sql-store.ts";
import { retryConnect } from "../generic/retry.ts";

/** Options of the MySQL driver. */
export interface MysqlOptions {
  user: string;
  password: string;
  host: string;
  port: number;
  socketPath?: string;
  /** created if missing */
  database: string;
  maxOpenConns?: number;
  connectTimeoutMs?: number;
  log?: (msg: string) => void;
}

// bytes, not a PAD SPACE collation: "k4\x01" must sort after "k4" as in etcd
const NAME = "VARBINARY(630)";

const dialect: Dialect = {
  name: "mysql",
  singleWriter: false,
  schema: [
    `CREATE TABLE IF NOT EXISTS kine (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, name ${NAME} NOT NULL, created INTEGER, deleted INTEGER,
      create_revision BIGINT UNSIGNED, prev_revision BIGINT UNSIGNED, lease BIGINT, value MEDIUMBLOB, old_value MEDIUMBLOB,
      version BIGINT NOT NULL DEFAULT 0)`,
    "ALTER TABLE kine ADD COLUMN version BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE kine ADD COLUMN txn_revision BIGINT UNSIGNED NULL",
    "ALTER TABLE kine ADD COLUMN prev_txn_revision BIGINT UNSIGNED NULL",
    "CREATE INDEX kine_txn_revision_index ON kine (txn_revision)",
    "CREATE INDEX kine_name_index ON kine (name)",
    "CREATE INDEX kine_name_id_index ON kine (name, id)",
    "CREATE INDEX kine_id_deleted_index ON kine (id, deleted)",
    "CREATE INDEX kine_prev_revision_index ON kine (prev_revision)",
    "CREATE UNIQUE INDEX kine_name_prev_revision_uindex ON kine (name, prev_revision)",
    `CREATE TABLE IF NOT EXISTS kine_latest (name ${NAME} PRIMARY KEY, id BIGINT UNSIGNED NOT NULL, deleted INTEGER NOT NULL)`,
    "CREATE TABLE IF NOT EXISTS kine_lease (id BIGINT PRIMARY KEY, ttl BIGINT NOT NULL, expires_at BIGINT NOT NULL)",
  ],
  // duplicate table, column, key name
  isDuplicateSchemaError: (err) => [1050, 1060, 1061].includes(errno(err)),
  isUniqueViolation: (err) => errno(err) === 1062,
  // lock wait timeout, deadlock
  isSerializationFailure: (err) => [1205, 1213].includes(errno(err)),
  upsertLatest: "INSERT INTO kine_latest(name, id, deleted) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE id = VALUES(id), deleted = VALUES(deleted)",
  // the inner derived table is materialised, which MySQL requires to delete from the table it reads
  compactSuperseded:
    "DELETE FROM kine WHERE id IN (SELECT id FROM (SELECT prev_revision AS id FROM kine WHERE name != 'compact_rev_key' AND prev_revision != 0 AND id <= ?) AS p) AND id <= ?",
  sizeQuery: "SELECT SUM(data_length + index_length) AS size FROM information_schema.tables WHERE table_schema = DATABASE()",
};

function errno(err: unknown): number {
  return typeof err === "object" && err !== null && "errno" in err ? Number((err as { errno: unknown }).errno) : 0;
}

class MysqlQuerier implements Querier {
  constructor(private conn: mysql.PoolConnection | mysql.Pool) {}

  async all(sql: string, params: readonly SqlValue[]): Promise<SqlRow[]> {
    const [rows] = await this.conn.query(sql, params as SqlValue[]);
    return rows as SqlRow[];
  }

  async run(sql: string, params: readonly SqlValue[]): Promise<{ changes: number; insertId: number }> {
    const [r] = await this.conn.query(sql, params as SqlValue[]);
    const h = r as mysql.ResultSetHeader;
    return { changes: h.affectedRows ?? 0, insertId: Number(h.insertId ?? 0) };
  }
}

class MysqlDb implements SqlDb {
  constructor(private pool: mysql.Pool) {}

  private async tx<T>(begin: string, fn: (q: Querier) => Promise<T>): Promise<T> {
    const conn = await this.pool.getConnection();
    try {
      await conn.query(begin);
      const result = await fn(new MysqlQuerier(conn));
      await conn.query("COMMIT");
      return result;
    } catch (err) {
      await conn.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      conn.release();
    }
  }

  read<T>(fn: (q: Querier) => Promise<T>): Promise<T> {
    return this.tx("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", fn);
  }

  write<T>(fn: (q: Querier) => Promise<T>): Promise<T> {
    return this.tx("START TRANSACTION", fn);
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function connection(opts: MysqlOptions): mysql.ConnectionOptions {
  return opts.socketPath
    ? { user: opts.user, password: opts.password, socketPath: opts.socketPath }
    : { user: opts.user, password: opts.password, host: opts.host, port: opts.port };
}

async function ensureDatabase(opts: MysqlOptions): Promise<void> {
  const conn = await mysql.createConnection(connection(opts));
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${opts.database.replace(/`/g, "``")}\``);
  } finally {
    await conn.end();
  }
}

/** a kine log store in a MySQL/MariaDB database (created if missing) */
export async function mysqlStore(opts: MysqlOptions): Promise<SqlStore> {
  const where = opts.socketPath ?? `${opts.host}:${opts.port}`;
  await retryConnect(() => ensureDatabase(opts), { what: `mysql ${where}`, timeoutMs: opts.connectTimeoutMs, log: opts.log });
  const pool = mysql.createPool({ ...connection(opts), database: opts.database, connectionLimit: opts.maxOpenConns ?? 20, maxIdle: 20, idleTimeout: 120_000 });
  // InnoDB's default REPEATABLE READ: every read of a batch sees one snapshot, so a write never rests on a
  // newer row than the one it checked; inserts still meet other servers' rows in the unique index
  pool.on("connection", (c) => void c.query("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
  return new SqlStore(new MysqlDb(pool), dialect);
}
