/**
 * etcd's general transaction: compares on any field with any operator, then
 * the success or failure branch of puts, ranges, deletes and nested txns, all
 * inside one SQL transaction.
 */
import type { KeyValue } from "../backend.ts";
import { InvalidRequestError, KeyNotFoundError, LeaseNotFoundError } from "./errors.ts";
import { rowToKv } from "./events.ts";
import { rowCreateRevision, type NewRow, type Row, type StoreTx } from "./store.ts";

const EMPTY = Buffer.alloc(0);

export type CompareTarget = "version" | "create" | "mod" | "value" | "lease";
export type CompareResult = "equal" | "greater" | "less" | "not_equal";

/** One txn guard; with `end`, every key in [key, end) must satisfy it. */
export interface Compare {
  key: string;
  end?: string;
  target: CompareTarget;
  result: CompareResult;
  /** a number for version/create/mod/lease, bytes for value */
  value: number | Buffer;
}

export interface RangeOp {
  key: string;
  /** exclusive end, "\0" = every key from key; absent = the single key */
  end?: string;
  limit?: number;
  keysOnly?: boolean;
  countOnly?: boolean;
}

export interface PutOp {
  key: string;
  value: Buffer;
  lease?: number;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface DeleteOp {
  key: string;
  end?: string;
}

/** One operation of a txn branch. */
export type TxnOp = { range: RangeOp } | { put: PutOp } | { deleteRange: DeleteOp } | { txn: TxnRequest };

export interface TxnRequest {
  compare: Compare[];
  success: TxnOp[];
  failure: TxnOp[];
}

export interface RangeResult {
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

export interface PutResult {
  prevKv?: KeyValue;
  /** revision of the row written */
  revision: number;
}

export interface DeleteResult {
  deleted: KeyValue[];
  /** revision of the last tombstone written, 0 when nothing was deleted */
  revision: number;
}

export type TxnOpResult = { range: RangeResult } | { put: PutResult } | { deleteRange: DeleteResult } | { txn: TxnResult };

export interface TxnResult {
  succeeded: boolean;
  responses: TxnOpResult[];
  /** the highest revision written, 0 when nothing was written */
  revision: number;
}

/** puts a key inside tx (create or update), as etcd's Put */
export async function putInTx(tx: StoreTx, op: PutOp): Promise<PutResult> {
  const cur = await tx.latest(op.key);
  const live = cur && !cur.deleted ? cur : undefined;
  if ((op.ignoreValue || op.ignoreLease) && !live) throw new KeyNotFoundError(op.key);
  const value = op.ignoreValue && live ? live.value : op.value;
  const lease = op.ignoreLease && live ? live.lease : (op.lease ?? 0);
  if (lease !== 0 && !(await tx.getLease(lease))) throw new LeaseNotFoundError(lease);
  if (!live) return { revision: await tx.insert(createRow(op.key, value, lease, cur)) };
  const revision = await tx.insert(updateRow(live, value, lease));
  return { revision, prevKv: rowToKv(live) };
}

/** the row that creates a key, after its tombstone when it had one */
export function createRow(key: string, value: Buffer, lease: number, tombstone: Row | undefined): NewRow {
  return {
    name: key,
    created: true,
    deleted: false,
    createRevision: 0,
    prevRevision: tombstone?.id ?? 0,
    prevModRevision: tombstone?.modRevision ?? 0,
    lease,
    value,
    oldValue: EMPTY,
    version: 1,
  };
}

/** the row that replaces a live row's value */
export function updateRow(cur: Row, value: Buffer, lease: number): NewRow {
  return {
    name: cur.name,
    created: false,
    deleted: false,
    createRevision: rowCreateRevision(cur),
    prevRevision: cur.id,
    prevModRevision: cur.modRevision,
    lease,
    value,
    oldValue: cur.value,
    version: cur.version + 1,
  };
}

/** the tombstone that deletes a live row */
export function tombstoneRow(cur: Row): NewRow {
  return {
    name: cur.name,
    created: false,
    deleted: true,
    createRevision: rowCreateRevision(cur),
    prevRevision: cur.id,
    prevModRevision: cur.modRevision,
    lease: cur.lease,
    value: EMPTY,
    oldValue: cur.value,
    version: cur.version,
  };
}

/** live rows of a key or range inside tx */
export async function liveRows(tx: StoreTx, key: string, end?: string): Promise<Row[]> {
  if (end === undefined) {
    const cur = await tx.latest(key);
    return cur && !cur.deleted ? [cur] : [];
  }
  return tx.latestRange(key, end);
}

/** deletes every live key of a key or range inside tx */
export async function deleteInTx(tx: StoreTx, op: DeleteOp): Promise<DeleteResult> {
  const rows = await liveRows(tx, op.key, op.end);
  let revision = 0;
  for (const row of rows) revision = await tx.insert(tombstoneRow(row));
  return { deleted: rows.map(rowToKv), revision };
}

async function rangeInTx(tx: StoreTx, op: RangeOp): Promise<RangeResult> {
  const rows = await liveRows(tx, op.key, op.end);
  const count = rows.length;
  if (op.countOnly) return { kvs: [], more: false, count };
  const limited = op.limit && op.limit > 0 ? rows.slice(0, op.limit) : rows;
  const kvs = limited.map((r) => (op.keysOnly ? { ...rowToKv(r), value: EMPTY } : rowToKv(r)));
  return { kvs, more: limited.length < count, count };
}

function compareValues(a: number | Buffer, b: number | Buffer): number {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  throw new InvalidRequestError(`etcdserver: compare value type mismatch for ${String(a)}`);
}

function fieldOf(row: Row | undefined, target: CompareTarget): number | Buffer | undefined {
  if (!row) return target === "value" ? undefined : 0;
  switch (target) {
    case "version":
      return row.version;
    case "create":
      return rowCreateRevision(row);
    case "mod":
      return row.modRevision;
    case "lease":
      return row.lease;
    case "value":
      return row.value;
  }
}

function holds(row: Row | undefined, c: Compare): boolean {
  const field = fieldOf(row, c.target);
  if (field === undefined) return false;
  const d = compareValues(field, c.value);
  switch (c.result) {
    case "equal":
      return d === 0;
    case "not_equal":
      return d !== 0;
    case "greater":
      return d > 0;
    case "less":
      return d < 0;
  }
}

async function compareHolds(tx: StoreTx, c: Compare): Promise<boolean> {
  if (c.end === undefined) {
    const cur = await tx.latest(c.key);
    return holds(cur && !cur.deleted ? cur : undefined, c);
  }
  const rows = await tx.latestRange(c.key, c.end);
  return rows.every((r) => holds(r, c));
}

/** leases the puts of a branch name must exist before anything is written */
async function checkLeases(tx: StoreTx, ops: TxnOp[]): Promise<void> {
  for (const op of ops) {
    if ("put" in op && op.put.lease && !op.put.ignoreLease && !(await tx.getLease(op.put.lease))) {
      throw new LeaseNotFoundError(op.put.lease);
    }
  }
}

/** evaluates and applies a txn inside tx */
export async function txnInTx(tx: StoreTx, req: TxnRequest): Promise<TxnResult> {
  let succeeded = true;
  for (const c of req.compare) {
    if (!(await compareHolds(tx, c))) {
      succeeded = false;
      break;
    }
  }
  const branch = succeeded ? req.success : req.failure;
  await checkLeases(tx, branch);
  const responses: TxnOpResult[] = [];
  let revision = 0;
  for (const op of branch) {
    if ("range" in op) {
      responses.push({ range: await rangeInTx(tx, op.range) });
    } else if ("put" in op) {
      const r = await putInTx(tx, op.put);
      revision = Math.max(revision, r.revision);
      responses.push({ put: r });
    } else if ("deleteRange" in op) {
      const r = await deleteInTx(tx, op.deleteRange);
      revision = Math.max(revision, r.revision);
      responses.push({ deleteRange: r });
    } else {
      const r = await txnInTx(tx, op.txn);
      revision = Math.max(revision, r.revision);
      responses.push({ txn: r });
    }
  }
  return { succeeded, responses, revision };
}
