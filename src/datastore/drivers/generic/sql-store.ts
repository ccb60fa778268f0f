/**
 * The kine table and its queries, written once for every SQL database. Reads of
 * the current state go through kine_latest (newest row per key), so their cost
 * does not grow with uncompacted history; reads at an older revision use kine's
 * newest-row-at-or-below-R query.
 */
import type { LeaseRow, NewRow, Row, Store, StoreListOptions, StoreTx, SyncOptions } from "../../log/store.ts";
import { COMPACT_REV_KEY } from "../../log/store.ts";
import type { Dialect, Querier, SqlDb, SqlRow, SqlValue } from "./sql.ts";

const SHARED = "k.txn_revision, k.prev_txn_revision";
const COLUMNS = `k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.lease, k.value, k.old_value, k.version, ${SHARED}`;
const KEY_COLUMNS = `k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.lease, k.version, ${SHARED}`;
/** beyond this many hidden rows, filter on txn_revision instead of listing their ids */
const MAX_HIDDEN = 1000;
/** rows per UPDATE when sharing a revision, well under every database's bound-parameter limit */
const SHARE_CHUNK = 500;
const INSERT =
  "INSERT INTO kine(name, created, deleted, create_revision, prev_revision, lease, value, old_value, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
const EMPTY = Buffer.alloc(0);

/** turns a database row into a log row */
export function toRow(r: SqlRow): Row {
  const id = Number(r.id);
  const prevRevision = Number(r.prev_revision);
  return {
    id,
    modRevision: r.txn_revision == null ? id : Number(r.txn_revision),
    prevModRevision: r.prev_txn_revision == null ? prevRevision : Number(r.prev_txn_revision),
    name: String(r.name),
    created: Number(r.created) === 1,
    deleted: Number(r.deleted) === 1,
    createRevision: Number(r.create_revision),
    prevRevision,
    lease: Number(r.lease),
    value: toBuffer(r.value),
    oldValue: toBuffer(r.old_value),
    version: Number(r.version ?? 0),
  };
}

function toBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === "string") return Buffer.from(v);
  return EMPTY;
}

/** the WHERE fragment and params for name in [start, end) */
function nameRange(column: string, start: string, end: string | undefined): [string, SqlValue[]] {
  if (end === undefined) return [`${column} = ?`, [start]];
  if (end === "\0") return [`${column} >= ?`, [start]];
  return [`${column} >= ? AND ${column} < ?`, [start, end]];
}

class SqlTx implements StoreTx {
  constructor(
    private q: Querier,
    private dialect: Dialect,
  ) {}

  async latest(name: string): Promise<Row | undefined> {
    const rows = await this.q.all(`SELECT ${COLUMNS} FROM kine_latest l JOIN kine k ON k.id = l.id WHERE l.name = ?`, [name]);
    return rows.length ? toRow(rows[0]) : undefined;
  }

  async latestRange(start: string, end: string): Promise<Row[]> {
    const [where, params] = nameRange("l.name", start, end);
    const rows = await this.q.all(
      `SELECT ${COLUMNS} FROM kine_latest l JOIN kine k ON k.id = l.id WHERE ${where} AND l.deleted = 0 ORDER BY l.name`,
      params,
    );
    return rows.map(toRow);
  }

  async insert(row: NewRow): Promise<number> {
    const id = await this.append(row);
    // rare: the previous row shares another row's revision; the common insert stays one statement
    if (row.prevModRevision !== row.prevRevision) await this.q.run("UPDATE kine SET prev_txn_revision = ? WHERE id = ?", [row.prevModRevision, id]);
    return id;
  }

  private async append(row: NewRow): Promise<number> {
    if (this.dialect.insertAndIndex) {
      const rows = await this.q.all(this.dialect.insertAndIndex, insertParams(row));
      return Number(rows[0].id);
    }
    const { insertId } = await this.q.run(INSERT, insertParams(row));
    await this.q.run(this.dialect.upsertLatest, [row.name, insertId, row.deleted ? 1 : 0]);
    return insertId;
  }

  async shareRevision(ids: number[], revision: number): Promise<void> {
    for (let i = 0; i < ids.length; i += SHARE_CHUNK) {
      const chunk = ids.slice(i, i + SHARE_CHUNK);
      await this.q.run(`UPDATE kine SET txn_revision = ? WHERE id IN (${chunk.map(() => "?").join(", ")})`, [revision, ...chunk]);
    }
  }

  async leaseKeys(lease: number): Promise<Row[]> {
    const rows = await this.q.all(
      `SELECT ${COLUMNS} FROM kine_latest l JOIN kine k ON k.id = l.id WHERE l.deleted = 0 AND k.lease = ? ORDER BY l.name`,
      [lease],
    );
    return rows.map(toRow);
  }

  async putLease(lease: LeaseRow): Promise<void> {
    const changed = await this.q.run("UPDATE kine_lease SET ttl = ?, expires_at = ? WHERE id = ?", [lease.ttl, lease.expiresAt, lease.id]);
    if (changed.changes === 0) {
      await this.q.run("INSERT INTO kine_lease(id, ttl, expires_at) VALUES (?, ?, ?)", [lease.id, lease.ttl, lease.expiresAt]);
    }
  }

  async getLease(id: number): Promise<LeaseRow | undefined> {
    const rows = await this.q.all("SELECT id, ttl, expires_at FROM kine_lease WHERE id = ?", [id]);
    return rows.length ? toLease(rows[0]) : undefined;
  }

  async deleteLease(id: number): Promise<void> {
    await this.q.run("DELETE FROM kine_lease WHERE id = ?", [id]);
  }
}

function insertParams(row: NewRow): SqlValue[] {
  return [row.name, row.created ? 1 : 0, row.deleted ? 1 : 0, row.createRevision, row.prevRevision, row.lease, row.value, row.oldValue, row.version];
}

function toLease(r: SqlRow): LeaseRow {
  return { id: Number(r.id), ttl: Number(r.ttl), expiresAt: Number(r.expires_at) };
}

/** kine's log over any SQL database described by a dialect */
export class SqlStore implements Store {
  readonly singleWriter: boolean;

  readonly sync?: (opts?: SyncOptions) => Promise<void>;

  constructor(
    private db: SqlDb,
    private dialect: Dialect,
  ) {
    this.singleWriter = dialect.singleWriter;
    if (db.sync) this.sync = (opts) => (db.sync as (o?: SyncOptions) => Promise<void>)(opts);
  }

  isRetryable(err: unknown): boolean {
    return this.dialect.isUniqueViolation(err) || this.dialect.isSerializationFailure(err);
  }

  private async durableWrite<T>(fn: (q: Querier) => Promise<T>): Promise<T> {
    const result = await this.db.write(fn);
    await this.db.sync?.();
    return result;
  }

  async open(): Promise<void> {
    for (const ddl of this.dialect.schema) {
      try {
        await this.db.exec(ddl);
      } catch (err) {
        if (!this.dialect.isDuplicateSchemaError(err)) throw err;
      }
    }
    // servers opening a fresh shared database together race to write the bookkeeping row: the loser's
    // unique violation or deadlock is retried, and the retry finds the winner's row
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.initBookkeeping();
      } catch (err) {
        const raced = this.dialect.isUniqueViolation(err) || this.dialect.isSerializationFailure(err);
        if (!raced || attempt >= 4) throw err;
        await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
      }
    }
  }

  private async initBookkeeping(): Promise<void> {
    await this.durableWrite(async (q) => {
      const rows = await q.all("SELECT id FROM kine WHERE name = ?", [COMPACT_REV_KEY]);
      // revision 1 is the bookkeeping row, as in kine, so a fresh store starts at revision 1 like etcd
      if (rows.length === 0) await q.run(INSERT, [COMPACT_REV_KEY, 0, 1, 0, 0, 0, EMPTY, EMPTY, 0]);
      const indexed = await q.all("SELECT name FROM kine_latest LIMIT 1", []);
      if (indexed.length > 0) return;
      // a kine database written by another kine has no newest-row index yet
      await q.run(
        "INSERT INTO kine_latest(name, id, deleted) SELECT k.name, k.id, k.deleted FROM kine k JOIN (SELECT MAX(id) AS id FROM kine WHERE name != ? GROUP BY name) m ON k.id = m.id",
        [COMPACT_REV_KEY],
      );
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.db.write((q) => fn(new SqlTx(q, this.dialect)));
  }

  currentRevision(): Promise<number> {
    return this.db.read((q) => maxId(q));
  }

  compactRevision(): Promise<number> {
    return this.db.read((q) => compactRev(q));
  }

  list(start: string, opts: StoreListOptions): Promise<{ revision: number; rows: Row[]; count: number }> {
    return this.db.read(async (q) => {
      const current = await maxId(q);
      const revision = opts.revision > 0 ? opts.revision : current;
      const cols = opts.keysOnly ? KEY_COLUMNS : COLUMNS;
      const limit = opts.limit > 0 ? ` LIMIT ${Math.floor(opts.limit)}` : "";
      let rows: SqlRow[];
      let count: number;
      if (revision >= current) {
        const [where, params] = nameRange("l.name", start, opts.end);
        rows = await q.all(
          `SELECT ${cols} FROM kine_latest l JOIN kine k ON k.id = l.id WHERE ${where} AND l.deleted = 0 ORDER BY l.name${limit}`,
          params,
        );
        count = rows.length;
        if (opts.limit > 0 && rows.length >= opts.limit) count = await countLatest(q, start, opts.end);
      } else {
        const [where, params] = nameRange("name", start, opts.end);
        const [visible, vparams] = await visibleAt(q, revision);
        rows = await q.all(
          `SELECT ${cols} FROM kine k JOIN (SELECT MAX(id) AS id FROM kine WHERE ${where} AND ${visible} GROUP BY name) m ON k.id = m.id WHERE k.deleted = 0 ORDER BY k.name${limit}`,
          [...params, ...vparams],
        );
        count = rows.length;
        if (opts.limit > 0 && rows.length >= opts.limit) count = await countAt(q, start, opts.end, revision);
      }
      return { revision, rows: rows.map(toRow), count };
    });
  }

  count(start: string, end: string | undefined, revision: number): Promise<{ revision: number; count: number }> {
    return this.db.read(async (q) => {
      const current = await maxId(q);
      if (revision <= 0 || revision >= current) return { revision: current, count: await countLatest(q, start, end) };
      return { revision, count: await countAt(q, start, end, revision) };
    });
  }

  async after(after: number, limit: number): Promise<Row[]> {
    const rows = await this.db.read((q) =>
      q.all(`SELECT ${COLUMNS} FROM kine k WHERE k.id > ? ORDER BY k.id LIMIT ${Math.floor(limit)}`, [after]),
    );
    return rows.map(toRow);
  }

  async firstIdAt(revision: number): Promise<number> {
    const rows = await this.db.read((q) => q.all("SELECT MIN(id) AS id FROM kine WHERE txn_revision >= ?", [revision]));
    const shared = rows[0]?.id;
    return shared == null ? revision : Math.min(revision, Number(shared));
  }

  async fillGap(id: number): Promise<boolean> {
    try {
      await this.durableWrite((q) =>
        q.run(
          "INSERT INTO kine(id, name, created, deleted, create_revision, prev_revision, lease, value, old_value, version) VALUES (?, ?, 0, 1, 0, 0, 0, ?, ?, 0)",
          [id, `gap-${id}`, EMPTY, EMPTY],
        ),
      );
      return true;
    } catch (err) {
      if (this.dialect.isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async compact(target: number): Promise<void> {
    await this.durableWrite(async (q) => {
      const max = await maxId(q);
      // never split a shared revision: stop below a write whose rows straddle the target
      const straddling = await q.all("SELECT MIN(id) AS id FROM kine WHERE txn_revision > ? AND id <= ?", [target, target]);
      if (straddling[0]?.id != null) target = Number(straddling[0].id) - 1;
      await q.run(this.dialect.compactSuperseded, [target, target]);
      // the newest row stays so the current revision never goes back
      // a tombstone at the target itself stays: a watch may start there
      await q.run("DELETE FROM kine_latest WHERE deleted = 1 AND id < ? AND id != ?", [target, max]);
      await q.run("DELETE FROM kine WHERE deleted = 1 AND id < ? AND id != ? AND name != ?", [target, max, COMPACT_REV_KEY]);
      await q.run("UPDATE kine SET prev_revision = ? WHERE name = ? AND prev_revision < ?", [target, COMPACT_REV_KEY, target]);
    });
  }

  async leases(): Promise<LeaseRow[]> {
    const rows = await this.db.read((q) => q.all("SELECT id, ttl, expires_at FROM kine_lease", []));
    return rows.map(toLease);
  }

  async dbSize(): Promise<number> {
    const rows = await this.db.read((q) => q.all(this.dialect.sizeQuery, []));
    return rows.length ? Number(rows[0].size) : 0;
  }
}

async function maxId(q: Querier): Promise<number> {
  const rows = await q.all("SELECT MAX(id) AS id FROM kine", []);
  return Number(rows[0]?.id ?? 0);
}

async function compactRev(q: Querier): Promise<number> {
  const rows = await q.all("SELECT prev_revision FROM kine WHERE name = ?", [COMPACT_REV_KEY]);
  return Number(rows[0]?.prev_revision ?? 0);
}

async function countLatest(q: Querier, start: string, end: string | undefined): Promise<number> {
  const [where, params] = nameRange("name", start, end);
  const rows = await q.all(`SELECT COUNT(*) AS n FROM kine_latest WHERE ${where} AND deleted = 0`, params);
  return Number(rows[0]?.n ?? 0);
}

async function countAt(q: Querier, start: string, end: string | undefined, revision: number): Promise<number> {
  const [where, params] = nameRange("name", start, end);
  const [visible, vparams] = await visibleAt(q, revision);
  const rows = await q.all(
    `SELECT COUNT(*) AS n FROM kine k JOIN (SELECT MAX(id) AS id FROM kine WHERE ${where} AND ${visible} GROUP BY name) m ON k.id = m.id WHERE k.deleted = 0`,
    [...params, ...vparams],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * the WHERE fragment for rows visible at a revision: id at or below it, minus
 * rows of a shared revision above it (ids below, revision above: at most the
 * rows of a write or two). Naming those ids keeps the (name, id) index
 * covering; a filter on txn_revision would read every row.
 */
async function visibleAt(q: Querier, revision: number): Promise<[string, SqlValue[]]> {
  const hidden = await q.all("SELECT id FROM kine WHERE txn_revision > ? AND id <= ?", [revision, revision]);
  if (hidden.length === 0) return ["id <= ?", [revision]];
  if (hidden.length > MAX_HIDDEN) return ["id <= ? AND (txn_revision IS NULL OR txn_revision <= ?)", [revision, revision]];
  return [`id <= ? AND id NOT IN (${hidden.map(() => "?").join(", ")})`, [revision, ...hidden.map((r) => Number(r.id))]];
}
