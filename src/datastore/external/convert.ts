/** Between etcd's wire messages and the datastore's shapes (keys as strings, revisions as numbers). */
import type { KeyValue, WatchEvent } from "../backend.ts";
import type { PbCompare, PbEvent, PbKeyValue, PbRangeRequest, PbRequestOp, PbTxnRequest } from "../etcd/messages.ts";
import type { TxnOp, TxnOpResult, TxnRequest, TxnResult } from "../log/txn.ts";
import type { PbResponseOp, PbTxnResponse } from "./client.ts";

const EMPTY = Buffer.alloc(0);

/** a key (or range end) on the wire; absent stays absent (a single key) */
export function keyBytes(key: string): Buffer;
export function keyBytes(key: string | undefined): Buffer | undefined;
export function keyBytes(key: string | undefined): Buffer | undefined {
  return key === undefined ? undefined : Buffer.from(key, "utf8");
}

/** a KeyValue from the wire */
export function fromPbKv(kv: PbKeyValue): KeyValue {
  return {
    key: kv.key.toString("utf8"),
    value: kv.value ?? EMPTY,
    createRevision: kv.create_revision,
    modRevision: kv.mod_revision,
    version: kv.version,
    lease: kv.lease,
  };
}

/** a watch event from the wire */
export function fromPbEvent(ev: PbEvent): WatchEvent {
  const kv = fromPbKv(ev.kv);
  const prevKv = ev.prev_kv && ev.prev_kv.key.length ? fromPbKv(ev.prev_kv) : undefined;
  return ev.type === "DELETE" ? { type: "delete", kv: { ...kv, value: EMPTY }, prevKv } : { type: "put", kv, prevKv };
}

const TARGET_FIELD = { version: "version", create: "create_revision", mod: "mod_revision", value: "value", lease: "lease" } as const;

function toPbCompare(c: TxnRequest["compare"][number]): Partial<PbCompare> {
  const field = TARGET_FIELD[c.target];
  return {
    key: keyBytes(c.key),
    range_end: keyBytes(c.end),
    target: c.target === "create" ? "CREATE" : c.target === "mod" ? "MOD" : (c.target.toUpperCase() as PbCompare["target"]),
    result: c.result.toUpperCase() as PbCompare["result"],
    [field]: c.value,
  };
}

function toPbOp(op: TxnOp): Partial<PbRequestOp> {
  if ("range" in op) {
    const r = op.range;
    const req: Partial<PbRangeRequest> = { key: keyBytes(r.key), range_end: keyBytes(r.end), limit: r.limit ?? 0, keys_only: !!r.keysOnly, count_only: !!r.countOnly };
    return { request_range: req as PbRangeRequest };
  }
  if ("put" in op) {
    const p = op.put;
    return { request_put: { key: keyBytes(p.key), value: p.value, lease: p.lease ?? 0, prev_kv: true, ignore_value: !!p.ignoreValue, ignore_lease: !!p.ignoreLease } };
  }
  if ("deleteRange" in op) return { request_delete_range: { key: keyBytes(op.deleteRange.key), range_end: keyBytes(op.deleteRange.end) ?? EMPTY, prev_kv: true } };
  return { request_txn: toPbTxn(op.txn) as PbTxnRequest };
}

/** an etcd txn on the wire; puts and deletes ask for the values they replace, as the log backend returns them */
export function toPbTxn(req: TxnRequest): Partial<PbTxnRequest> {
  return {
    compare: req.compare.map(toPbCompare) as PbCompare[],
    success: req.success.map(toPbOp) as PbRequestOp[],
    failure: req.failure.map(toPbOp) as PbRequestOp[],
  };
}

function fromPbOp(res: PbResponseOp, revision: number): TxnOpResult {
  if (res.response_range) return { range: { kvs: res.response_range.kvs.map(fromPbKv), more: res.response_range.more, count: res.response_range.count } };
  if (res.response_put) return { put: { revision, prevKv: res.response_put.prev_kv ? fromPbKv(res.response_put.prev_kv) : undefined } };
  if (res.response_delete_range) {
    const deleted = res.response_delete_range.prev_kvs.map(fromPbKv);
    return { deleteRange: { deleted, revision: deleted.length ? revision : 0 } };
  }
  if (res.response_txn) return { txn: fromPbTxn(res.response_txn, revision) };
  throw new Error(`etcd txn: a response of unknown kind ${JSON.stringify(res.response)}`);
}

/** a txn's result; every write of one etcd txn shares the txn's revision */
export function fromPbTxn(res: PbTxnResponse, outer?: number): TxnResult {
  // a nested txn's response carries no header of its own
  const revision = res.header?.revision || outer || 0;
  return { succeeded: res.succeeded, responses: res.responses.map((r) => fromPbOp(r, revision)), revision };
}
