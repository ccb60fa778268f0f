/**
 * What the revision log needs from a database: one append-only table of rows
 * (kine's model, id = revision) plus an index of the newest row per key.
 * drivers/generic implements it once in SQL.
 *
 * One etcd write that appends several rows (a txn, a range delete) is one
 * revision, as in etcd: its rows keep their own ids, and all but the last
 * carry the last one's id as their revision (a nullable column kine ignores,
 * so kine still reads the table). Lease expiry keeps one revision per key
 * (see leases.ts).
 */

/** One row of the kine table. */
export interface Row {
  id: number;
  /** the revision clients see: id, or the last id of the multi-row write that appended this row */
  modRevision: number;
  /** the revision clients saw on the key's previous row (prevRevision is that row's id) */
  prevModRevision: number;
  name: string;
  created: boolean;
  deleted: boolean;
  /** stored 0 on create rows, as kine does; use rowCreateRevision() */
  createRevision: number;
  prevRevision: number;
  lease: number;
  value: Buffer;
  oldValue: Buffer;
  /** writes since the key was created (1 on create); on tombstones, the deleted value's version */
  version: number;
}

/** A row about to be appended (the database assigns the id; its revision is its id until shared). */
export type NewRow = Omit<Row, "id" | "modRevision">;

/** Hints for Store.sync. */
export interface SyncOptions {
  /** nothing else is waiting: syncing on the calling thread saves a thread hand-off */
  alone?: boolean;
}

/** A persisted lease. */
export interface LeaseRow {
  id: number;
  ttl: number;
  /** unix milliseconds */
  expiresAt: number;
}

/** Reads and writes inside one write transaction. */
export interface StoreTx {
  /** the newest row of the key (possibly a tombstone) */
  latest(name: string): Promise<Row | undefined>;
  /** live rows in [start, end), end "\0" = to the last key */
  latestRange(start: string, end: string): Promise<Row[]>;
  /** appends the row, points the key's newest-row index at it; returns its id */
  insert(row: NewRow): Promise<number>;
  /** gives rows appended in this transaction the revision of a later row of the same write */
  shareRevision(ids: number[], revision: number): Promise<void>;
  /** live rows attached to the lease */
  leaseKeys(lease: number): Promise<Row[]>;
  putLease(lease: LeaseRow): Promise<void>;
  getLease(id: number): Promise<LeaseRow | undefined>;
  deleteLease(id: number): Promise<void>;
}

/** Options of a list read. */
export interface StoreListOptions {
  /** exclusive end; "\0" = to the last key; absent = the single key start */
  end?: string;
  /** 0 = current state (served from the newest-row index) */
  revision: number;
  /** 0 = no limit */
  limit: number;
  keysOnly: boolean;
}

/** The database behind the log. */
export interface Store {
  /** true when no other process writes to the same database (SQLite) */
  readonly singleWriter: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  /** runs fn in one transaction; resolves after commit (durable at once unless the store has sync) */
  write<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * when present, commits are not yet durable when write resolves: this makes
   * every transaction committed before the call durable (shared by concurrent callers)
   */
  sync?(opts?: SyncOptions): Promise<void>;
  /** errors after which running the same write again in a new transaction may succeed (races between servers) */
  isRetryable?(err: unknown): boolean;
  currentRevision(): Promise<number>;
  compactRevision(): Promise<number>;
  /** newest live rows in the range at a revision, with the revision read at and the total count */
  list(start: string, opts: StoreListOptions): Promise<{ revision: number; rows: Row[]; count: number }>;
  count(start: string, end: string | undefined, revision: number): Promise<{ revision: number; count: number }>;
  /** rows with id in (after, upTo], ordered by id, at most limit */
  after(after: number, limit: number): Promise<Row[]>;
  /** the lowest id of the rows at or after a revision (rows of a shared revision start below it) */
  firstIdAt(revision: number): Promise<number>;
  /** fills a missing id with a tombstone row named gap-<id>; false if the id exists by now */
  fillGap(id: number): Promise<boolean>;
  /** deletes superseded rows and tombstones at or below target, records target */
  compact(target: number): Promise<void>;
  leases(): Promise<LeaseRow[]>;
  dbSize(): Promise<number>;
}

/** Observers of a transaction's appends. */
export interface TxObserver {
  inserted(row: NewRow, id: number): void;
  shared?(ids: number[], revision: number): void;
}

/** a transaction view that reports its appends to the observer */
export function observed(tx: StoreTx, obs: TxObserver): StoreTx {
  return {
    latest: (name) => tx.latest(name),
    latestRange: (start, end) => tx.latestRange(start, end),
    leaseKeys: (lease) => tx.leaseKeys(lease),
    putLease: (lease) => tx.putLease(lease),
    getLease: (id) => tx.getLease(id),
    deleteLease: (id) => tx.deleteLease(id),
    async insert(row: NewRow): Promise<number> {
      const id = await tx.insert(row);
      obs.inserted(row, id);
      return id;
    },
    async shareRevision(ids: number[], revision: number): Promise<void> {
      await tx.shareRevision(ids, revision);
      obs.shared?.(ids, revision);
    },
  };
}

/** runs one etcd request that may append several rows so that they all get one revision: the last row's id */
export async function atOneRevision<T>(tx: StoreTx, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
  const ids: number[] = [];
  const result = await fn(observed(tx, { inserted: (_row, id) => ids.push(id) }));
  if (ids.length > 1) await tx.shareRevision(ids.slice(0, -1), ids[ids.length - 1]);
  return result;
}

/** the create revision a row stands for (kine stores 0 on create rows) */
export function rowCreateRevision(row: Row): number {
  return row.created ? row.modRevision : row.createRevision;
}

/** the name of kine's bookkeeping row holding the compact revision */
export const COMPACT_REV_KEY = "compact_rev_key";
