/** etcd's KV service: Range, Put, DeleteRange, Txn, Compact over the backend. */
import type { KeyValue } from "../backend.ts";
import type { KineBackend } from "../log/kine-backend.ts";
import type { Compare, CompareResult, CompareTarget, TxnOp, TxnOpResult, TxnRequest } from "../log/txn.ts";
import { endOf, header, keyOf, toPbKv } from "./convert.ts";
import { errEmptyKey, errRequestTooLarge, errTooManyOps } from "./errors.ts";
import type { PbCompare, PbDeleteRangeRequest, PbPutRequest, PbRangeRequest, PbRangeResponse, PbRequestOp, PbTxnRequest } from "./messages.ts";

/** etcd's --max-request-bytes default */
export const MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
const MAX_TXN_OPS = 128;

/** answers a RangeRequest */
export async function range(be: KineBackend, req: PbRangeRequest): Promise<PbRangeResponse> {
  if (req.key.length === 0) throw errEmptyKey();
  const start = keyOf(req.key);
  const end = endOf(req.range_end);
  const revision = req.revision > 0 ? req.revision : 0;
  if (req.count_only) {
    const r = end === undefined ? await be.list(start, { revision, keysOnly: true }) : await be.count(start, end, revision);
    return { header: header(r.revision), kvs: [], more: false, count: r.count };
  }
  const custom = customOrder(req);
  const filtered = req.min_mod_revision || req.max_mod_revision || req.min_create_revision || req.max_create_revision;
  if (!custom && !filtered) {
    const r = await be.list(start, { end, revision, limit: req.limit > 0 ? req.limit : undefined, keysOnly: req.keys_only });
    return { header: header(r.revision), kvs: r.kvs.map((kv) => toPbKv(kv, req.keys_only)), more: r.more, count: r.count };
  }
  // sorting on other fields and revision filters need the whole range first
  const r = await be.list(start, { end, revision, keysOnly: req.keys_only });
  let kvs = r.kvs.filter((kv) => passes(kv, req));
  if (custom) kvs = kvs.sort(custom);
  const more = req.limit > 0 && kvs.length > req.limit;
  if (more) kvs = kvs.slice(0, req.limit);
  return { header: header(r.revision), kvs: kvs.map((kv) => toPbKv(kv, req.keys_only)), more, count: r.count };
}

function passes(kv: KeyValue, req: PbRangeRequest): boolean {
  if (req.min_mod_revision && kv.modRevision < req.min_mod_revision) return false;
  if (req.max_mod_revision && kv.modRevision > req.max_mod_revision) return false;
  if (req.min_create_revision && kv.createRevision < req.min_create_revision) return false;
  if (req.max_create_revision && kv.createRevision > req.max_create_revision) return false;
  return true;
}

/** a comparator when the request asks for anything but ascending keys */
function customOrder(req: PbRangeRequest): ((a: KeyValue, b: KeyValue) => number) | undefined {
  let order = req.sort_order;
  if (order === "NONE" && req.sort_target !== "KEY") order = "ASCEND";
  if (order === "NONE" || (order === "ASCEND" && req.sort_target === "KEY")) return undefined;
  const field = (kv: KeyValue): number | string | Buffer => {
    switch (req.sort_target) {
      case "VERSION":
        return kv.version;
      case "CREATE":
        return kv.createRevision;
      case "MOD":
        return kv.modRevision;
      case "VALUE":
        return kv.value;
      default:
        return kv.key;
    }
  };
  const sign = order === "DESCEND" ? -1 : 1;
  return (a, b) => {
    const x = field(a);
    const y = field(b);
    const d = Buffer.isBuffer(x) && Buffer.isBuffer(y) ? Buffer.compare(x, y) : x < y ? -1 : x > y ? 1 : 0;
    return sign * (d || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };
}

function checkPut(req: PbPutRequest): void {
  if (req.key.length === 0) throw errEmptyKey();
  if (req.key.length + req.value.length > MAX_REQUEST_BYTES) throw errRequestTooLarge();
}

/** answers a PutRequest */
export async function put(be: KineBackend, req: PbPutRequest): Promise<{ header: ReturnType<typeof header>; prev_kv?: ReturnType<typeof toPbKv> }> {
  checkPut(req);
  const r = await be.put(keyOf(req.key), req.value, { lease: req.lease, ignoreValue: req.ignore_value, ignoreLease: req.ignore_lease });
  return { header: header(r.revision), prev_kv: req.prev_kv && r.prevKv ? toPbKv(r.prevKv) : undefined };
}

/** answers a DeleteRangeRequest */
export async function deleteRange(be: KineBackend, req: PbDeleteRangeRequest) {
  if (req.key.length === 0) throw errEmptyKey();
  const r = await be.deleteRange(keyOf(req.key), endOf(req.range_end));
  return { header: header(r.revision), deleted: r.deleted.length, prev_kvs: req.prev_kv ? r.deleted.map((kv) => toPbKv(kv)) : [] };
}

const TARGETS: Record<PbCompare["target"], CompareTarget> = { VERSION: "version", CREATE: "create", MOD: "mod", VALUE: "value", LEASE: "lease" };
const RESULTS: Record<PbCompare["result"], CompareResult> = { EQUAL: "equal", GREATER: "greater", LESS: "less", NOT_EQUAL: "not_equal" };

function toCompare(c: PbCompare): Compare {
  const target = TARGETS[c.target];
  let value: number | Buffer;
  switch (target) {
    case "version":
      value = c.version ?? 0;
      break;
    case "create":
      value = c.create_revision ?? 0;
      break;
    case "mod":
      value = c.mod_revision ?? 0;
      break;
    case "lease":
      value = c.lease ?? 0;
      break;
    case "value":
      value = c.value ?? Buffer.alloc(0);
      break;
  }
  return { key: keyOf(c.key), end: endOf(c.range_end), target, result: RESULTS[c.result], value };
}

function toOp(op: PbRequestOp): TxnOp {
  if (op.request_range) {
    const r = op.request_range;
    return { range: { key: keyOf(r.key), end: endOf(r.range_end), limit: r.limit, keysOnly: r.keys_only, countOnly: r.count_only } };
  }
  if (op.request_put) {
    const p = op.request_put;
    checkPut(p);
    return { put: { key: keyOf(p.key), value: p.value, lease: p.lease, ignoreValue: p.ignore_value, ignoreLease: p.ignore_lease } };
  }
  if (op.request_delete_range) {
    const d = op.request_delete_range;
    return { deleteRange: { key: keyOf(d.key), end: endOf(d.range_end) } };
  }
  if (op.request_txn) return { txn: toTxn(op.request_txn) };
  throw errEmptyKey();
}

function toTxn(req: PbTxnRequest): TxnRequest {
  if (req.success.length > MAX_TXN_OPS || req.failure.length > MAX_TXN_OPS) throw errTooManyOps();
  return { compare: req.compare.map(toCompare), success: req.success.map(toOp), failure: req.failure.map(toOp) };
}

function txnSize(req: PbTxnRequest): number {
  let n = 0;
  for (const op of [...req.success, ...req.failure]) {
    if (op.request_put) n += op.request_put.key.length + op.request_put.value.length;
    if (op.request_txn) n += txnSize(op.request_txn);
  }
  return n;
}

/** the wire form of a txn's op results, every nested header at the txn's revision */
function fromResults(results: TxnOpResult[], branch: PbRequestOp[], revision: number): unknown[] {
  const h = header(revision);
  return results.map((r, i) => {
    const req = branch[i];
    if ("range" in r) {
      const keysOnly = req.request_range?.keys_only;
      return { response_range: { header: h, kvs: r.range.kvs.map((kv) => toPbKv(kv, keysOnly)), more: r.range.more, count: r.range.count } };
    }
    if ("put" in r) return { response_put: { header: h, prev_kv: req.request_put?.prev_kv && r.put.prevKv ? toPbKv(r.put.prevKv) : undefined } };
    if ("deleteRange" in r) {
      const prev = req.request_delete_range?.prev_kv;
      return { response_delete_range: { header: h, deleted: r.deleteRange.deleted.length, prev_kvs: prev ? r.deleteRange.deleted.map((kv) => toPbKv(kv)) : [] } };
    }
    const sub = req.request_txn as PbTxnRequest;
    return { response_txn: { header: h, succeeded: r.txn.succeeded, responses: fromResults(r.txn.responses, r.txn.succeeded ? sub.success : sub.failure, revision) } };
  });
}

/** answers a TxnRequest */
export async function txn(be: KineBackend, req: PbTxnRequest) {
  if (txnSize(req) > MAX_REQUEST_BYTES) throw errRequestTooLarge();
  const r = await be.txn(toTxn(req));
  return { header: header(r.revision), succeeded: r.succeeded, responses: fromResults(r.responses, r.succeeded ? req.success : req.failure, r.revision) };
}

/** answers a CompactionRequest */
export async function compact(be: KineBackend, req: { revision: number }) {
  await be.compact(req.revision);
  return { header: header(await be.currentRevision()) };
}
