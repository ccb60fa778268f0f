/**
 * SQLite through better-sqlite3: one connection writes, another reads
 * committed snapshots without waiting for the writer.
 *
 * Durability: better-sqlite3 is synchronous, so synchronous=FULL would block
 * the event loop for every fsync. By default the writer commits with
 * synchronous=OFF and sync() fdatasyncs the WAL on the libuv thread pool;
 * writes are acknowledged only after that, while the next batch already
 * commits. SQLite's own checkpoints (which would copy unsynced pages and
 * reuse the WAL) are off; ours run with synchronous=FULL, which syncs the WAL
 * and the database before the WAL is reused. An explicit _synchronous
 * endpoint parameter selects SQLite's own behaviour instead.
 */
import Database from "better-sqlite3";
import { closeSync, fdatasync, fdatasyncSync, fstatSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Dialect, Querier, SqlDb, SqlRow, SqlValue } from "../generic/sql.ts";
import type { SyncOptions } from "../../log/store.ts";
import { SqlStore } from "../generic/sql-store.ts";
import { Checkpointer } from "./checkpointer.ts";

/** Options of the SQLite driver. */
export interface SqliteOptions {
  /** database file */
  path: string;
  /** endpoint query parameters such as _busy_timeout or _synchronous (FULL is the default) */
  params?: URLSearchParams;
}

const dialect: Dialect = {
  name: "sqlite",
  singleWriter: true,
  schema: [
    `CREATE TABLE IF NOT EXISTS kine (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created INTEGER, deleted INTEGER,
      create_revision INTEGER, prev_revision INTEGER, lease INTEGER, value BLOB, old_value BLOB, version INTEGER NOT NULL DEFAULT 0)`,
    // fewer indexes than kine: every index is one more page written per commit. (name, id) serves
    // reads at old revisions; the id primary key serves watch and compaction; kine_latest serves the
    // rest. One writer process means no (name, prev_revision) race guard is needed.
    "CREATE INDEX IF NOT EXISTS kine_name_id_index ON kine (name, id)",
    "ALTER TABLE kine ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
    // rows of a write that appended several share its last row's revision (see log/store.ts); null otherwise
    "ALTER TABLE kine ADD COLUMN txn_revision INTEGER",
    "ALTER TABLE kine ADD COLUMN prev_txn_revision INTEGER",
    // partial: the common row (null) costs no index write
    "CREATE INDEX IF NOT EXISTS kine_txn_revision_index ON kine (txn_revision) WHERE txn_revision IS NOT NULL",
    "CREATE TABLE IF NOT EXISTS kine_latest (name TEXT PRIMARY KEY, id INTEGER NOT NULL, deleted INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS kine_lease (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL, expires_at INTEGER NOT NULL)",
  ],
  isDuplicateSchemaError: (err) => /duplicate column/i.test(String(err)),
  isUniqueViolation: (err) => /UNIQUE constraint failed|PRIMARY KEY/i.test(String(err)),
  isSerializationFailure: () => false,
  upsertLatest:
    "INSERT INTO kine_latest(name, id, deleted) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET id = excluded.id, deleted = excluded.deleted",
  compactSuperseded:
    "DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE name != 'compact_rev_key' AND prev_revision != 0 AND id <= ?) AND id <= ?",
  sizeQuery: "SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size()",
};

/** a Querier over one better-sqlite3 connection, caching prepared statements */
class SqliteQuerier implements Querier {
  private cache = new Map<string, Database.Statement>();
  /** rough count of bytes written, to pace checkpoints (the WAL's size says nothing once preallocated) */
  bytesWritten = 0;
  constructor(readonly db: Database.Database) {}

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, s);
    }
    return s;
  }

  allSync(sql: string, params: readonly SqlValue[]): SqlRow[] {
    return this.stmt(sql).all(...params) as SqlRow[];
  }

  all(sql: string, params: readonly SqlValue[]): Promise<SqlRow[]> {
    try {
      return Promise.resolve(this.allSync(sql, params));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  run(sql: string, params: readonly SqlValue[]): Promise<{ changes: number; insertId: number }> {
    try {
      const r = this.stmt(sql).run(...params);
      this.bytesWritten += 256;
      for (const p of params) if (Buffer.isBuffer(p)) this.bytesWritten += p.length;
      return Promise.resolve({ changes: r.changes, insertId: Number(r.lastInsertRowid) });
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

/** serialises async users of one connection so their transactions do not interleave */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** checkpoint after this many commits or this much WAL growth */
const CHECKPOINT_COMMITS = 2000;
const CHECKPOINT_BYTES = 16 << 20;
/**
 * the WAL is filled to this size with zeros once, so later commits overwrite
 * allocated blocks and fdatasync has no file metadata to write (etcd
 * preallocates its WAL for the same reason); SQLite ignores bytes after the
 * last valid frame
 */
const WAL_PREALLOCATE = 32 << 20;

class SqliteDb implements SqlDb {
  private writer: SqliteQuerier;
  private reader: SqliteQuerier;
  private writeLock = new Mutex();
  private readLock = new Mutex();
  readonly sync?: (opts?: SyncOptions) => Promise<void>;
  private walFd = -1;
  private syncing?: Promise<void>;
  private nextSync?: Promise<void>;
  private commits = 0;
  private checkpointer?: Checkpointer;
  /** the worker's checkpoint is done: copy what was written meanwhile, so the WAL starts over */
  private finishCheckpoint = false;

  constructor(private opts: SqliteOptions) {
    if (opts.path !== ":memory:") mkdirSync(dirname(opts.path), { recursive: true });
    const params = opts.params ?? new URLSearchParams();
    const busy = Number(params.get("_busy_timeout") ?? 30000);
    const explicit = params.get("_synchronous")?.toUpperCase();
    if (explicit && !["OFF", "NORMAL", "FULL", "EXTRA"].includes(explicit)) throw new Error(`sqlite: bad _synchronous value ${explicit}`);
    const w = new Database(opts.path, { timeout: busy });
    w.pragma("journal_mode = WAL");
    if (explicit || opts.path === ":memory:") {
      w.pragma(`synchronous = ${explicit ?? "OFF"}`);
    } else {
      w.pragma("synchronous = OFF");
      w.pragma("wal_autocheckpoint = 0");
      this.sync = (o) => this.syncWal(o);
      this.checkpointer = new Checkpointer(opts.path, () => (this.finishCheckpoint = true));
    }
    this.writer = new SqliteQuerier(w);
    const r = new Database(opts.path, { timeout: busy });
    r.pragma("journal_mode = WAL");
    this.reader = new SqliteQuerier(r);
  }

  read<T>(fn: (q: Querier) => Promise<T>): Promise<T> {
    return this.readLock.run(async () => {
      // BEGIN DEFERRED holds one WAL snapshot for every statement of fn
      this.reader.db.exec("BEGIN");
      try {
        return await fn(this.reader);
      } finally {
        this.reader.db.exec("COMMIT");
      }
    });
  }

  write<T>(fn: (q: Querier) => Promise<T>): Promise<T> {
    return this.writeLock.run(async () => {
      this.writer.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(this.writer);
        this.writer.db.exec("COMMIT");
        if (this.sync) this.maybeCheckpoint();
        return result;
      } catch (err) {
        if (this.writer.db.inTransaction) this.writer.db.exec("ROLLBACK");
        throw err;
      }
    });
  }

  async exec(sql: string): Promise<void> {
    this.writer.db.exec(sql);
  }

  async close(): Promise<void> {
    await this.writeLock.run(async () => undefined);
    await this.syncing;
    await this.nextSync;
    // closed first: the writer's close checkpoints and removes the WAL only as the last connection
    await this.checkpointer?.close();
    this.reader.db.close();
    // closing checkpoints the WAL into the database and removes it: let SQLite sync that
    this.writer.db.pragma("synchronous = FULL");
    this.writer.db.close();
    if (this.walFd >= 0) closeSync(this.walFd);
    this.walFd = -1;
  }

  /** makes every commit so far durable; concurrent callers share one fdatasync */
  private syncWal(opts: SyncOptions = {}): Promise<void> {
    if (opts.alone && !this.syncing && !this.nextSync && this.walFd >= 0) {
      // a lone writer waits less if the sync happens right here than behind a thread-pool hop
      try {
        fdatasyncSync(this.walFd);
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err);
      }
    }
    if (!this.syncing) {
      const run = this.fdatasyncWal().finally(() => {
        if (this.syncing === run) this.syncing = undefined;
      });
      this.syncing = run;
      return run;
    }
    // a sync is running, but it may have started before our commit: queue one more
    if (!this.nextSync) {
      const after = this.syncing.catch(() => undefined).then(() => {
        this.nextSync = undefined;
        return this.syncWal();
      });
      this.nextSync = after;
    }
    return this.nextSync;
  }

  private fdatasyncWal(): Promise<void> {
    if (this.walFd < 0) {
      this.walFd = openSync(`${this.opts.path}-wal`, "r+");
      preallocate(this.walFd, WAL_PREALLOCATE);
      // the WAL's directory entry must be durable too, once
      const dirFd = openSync(dirname(this.opts.path), "r");
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    }
    const fd = this.walFd;
    return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }

  /** has the WAL copied into the database now and then, mostly off this thread (see checkpointer.ts) */
  private maybeCheckpoint(): void {
    if (this.finishCheckpoint) {
      this.finishCheckpoint = false;
      // only this connection can checkpoint with no write running, which lets the next commit reuse the WAL
      // from its start; left growing, the WAL slows every page lookup
      this.writer.db.pragma("synchronous = FULL");
      try {
        this.writer.db.pragma("wal_checkpoint(PASSIVE)");
      } finally {
        this.writer.db.pragma("synchronous = OFF");
      }
    }
    this.commits++;
    if (this.commits < CHECKPOINT_COMMITS && this.writer.bytesWritten < CHECKPOINT_BYTES) return;
    if (!this.checkpointer?.request()) return;
    this.commits = 0;
    this.writer.bytesWritten = 0;
  }
}

function preallocate(fd: number, size: number): void {
  const have = fstatSync(fd).size;
  if (have >= size) return;
  const zeros = Buffer.alloc(1 << 20);
  for (let at = have; at < size; at += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
  fsyncSync(fd);
}

/** a kine log store in a SQLite file */
export function sqliteStore(opts: SqliteOptions): SqlStore {
  return new SqlStore(new SqliteDb(opts), dialect);
}
