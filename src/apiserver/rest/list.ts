/** GET of one object and of collections: selectors, paging with continue tokens, resourceVersion semantics. */
import { CompactedError, FutureRevisionError } from "../../datastore/backend.ts";
import type { KubeObject, ListMeta } from "../../api/types.ts";
import { badRequest, expired, failure, ApiStatusError } from "../errors.ts";
import { apiVersionOf } from "../kinds.ts";
import { decodeStored, prefixEnd } from "../storage/codec.ts";
import { withSharedItems } from "../storage/encoded.ts";
import type { WatchCache } from "../storage/watchcache.ts";
import { intParam, keyOf, listPrefix, predicateOf, readCurrent, served, type Predicate } from "./common.ts";
import type { Call, Reply } from "./context.ts";

/** GET on an object: from the datastore, or from the cache at resourceVersion=0. */
export async function getHandler(call: Call): Promise<Reply> {
  if (call.req.query.get("resourceVersion") === "0") {
    const cache = call.ctx.caches.forKind(call.kind);
    await cache.ready();
    const obj = cache.getObject(keyOf(call, call.info.name));
    if (obj) return { status: 200, object: served(call.kind, obj) };
  }
  const { obj } = await readCurrent(call, call.info.name);
  return { status: 200, object: obj };
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start })).toString("base64url");
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as ContinueToken;
    if (t.v !== "meta.k8s.io/v1" || typeof t.rv !== "number" || typeof t.start !== "string") throw new Error("bad shape");
    if (t.start.includes("..") || t.start.startsWith("/")) throw new Error("bad start");
    return t;
  } catch {
    throw badRequest(`invalid continue token ${JSON.stringify(token)}`);
  }
}

const CONTINUE_EXPIRED =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/** A list of one kind with its ListMeta. */
export interface ObjectList {
  kind: string;
  apiVersion: string;
  metadata: ListMeta;
  items: KubeObject[];
}

function tooLarge(rv: number, current: number): ApiStatusError {
  return new ApiStatusError(
    failure(504, {
      reason: "Timeout",
      message: `Too large resource version: ${rv}, current: ${current}`,
      details: { causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }], retryAfterSeconds: 1 },
    }),
  );
}

/** How long a consistent LIST waits for the cache to reach the datastore's revision before reading the datastore (upstream: 3 s). */
const CONSISTENT_WAIT_MS = 500;

/** After the cache missed a revision in time, LISTs read the datastore without waiting for this long (or until the revision moves). */
const MISSED_BACKOFF_MS = 5000;

/**
 * The revision a cache last did not reach in time, and when: e.g. a compaction
 * row, which no watch delivers, or other servers' writes that a multi-writer
 * datastore polls for once a second. Later LISTs then skip the wait.
 */
const missed = new WeakMap<WatchCache, { rev: number; at: number }>();

/** The kind's cache once it holds every change up to the datastore's current revision, or undefined (read the datastore). */
async function caughtUp(call: Call): Promise<WatchCache | undefined> {
  const cache = call.ctx.caches.forKind(call.kind);
  await cache.ready();
  const current = await call.ctx.backend.currentRevision();
  if (cache.revision >= current) return cache;
  const m = missed.get(cache);
  if (m && (m.rev === current || performance.now() - m.at < MISSED_BACKOFF_MS)) return undefined;
  if (await cache.waitForRevision(current, CONSISTENT_WAIT_MS)) return cache;
  missed.set(cache, { rev: current, at: performance.now() });
  return undefined;
}

/** One page of the cache's objects from key `start`, with the datastore path's continue and remainingItemCount. */
function fromCache(call: Call, cache: WatchCache, opts: { pred: Predicate; start: string; limit?: number }): ObjectList {
  const kind = call.kind;
  const prefix = listPrefix(call);
  const snap = cache.snapshot(prefix);
  const all = snap.items;
  let i = 0;
  while (i < all.length && all[i].key < opts.start) i++;
  const items: KubeObject[] = [];
  let last = -1;
  for (; i < all.length; i++) {
    const obj = served(kind, all[i].obj);
    if (!opts.pred.matches(obj)) continue;
    items.push(obj);
    last = i;
    if (opts.limit && items.length >= opts.limit) break;
  }
  const metadata: ListMeta = { resourceVersion: String(snap.rev) };
  // as from the datastore: a continue token whenever keys follow the last item, matching or not
  if (opts.limit && items.length >= opts.limit && last < all.length - 1) {
    metadata.continue = encodeContinue(snap.rev, `${all[last].key.slice(prefix.length)}\u0000`);
    if (opts.pred.empty) metadata.remainingItemCount = all.length - 1 - last;
  }
  // the items are the cache's own objects (or their memoised conversions): their JSON is reused
  return withSharedItems({ kind: kind.listKind, apiVersion: apiVersionOf(kind), metadata, items });
}

/** Lists per the query (selectors, limit/continue, resourceVersion/resourceVersionMatch). */
export async function listObjects(call: Call, opts: { ignoreLimit?: boolean } = {}): Promise<ObjectList> {
  const q = call.req.query;
  const pred = predicateOf(call);
  const limit = opts.ignoreLimit ? undefined : intParam(call, "limit");
  const cont = q.get("continue") || undefined;
  const rvParam = q.get("resourceVersion") ?? "";
  const match = q.get("resourceVersionMatch") ?? "";
  if (match && match !== "Exact" && match !== "NotOlderThan") {
    throw badRequest(`resourceVersionMatch: Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan"`);
  }
  if (match && !rvParam) throw badRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
  if (cont && rvParam) throw badRequest("specifying resource version is not allowed when using continue");
  const rv = rvParam ? Number(rvParam) : undefined;
  if (rv !== undefined && !Number.isInteger(rv)) throw badRequest(`invalid resourceVersion ${JSON.stringify(rvParam)}`);
  const prefix = listPrefix(call);
  const kind = call.kind;
  const apiVersion = apiVersionOf(kind);

  // rv=0 or not-older-than a revision the cache has: answer from memory (limit ignored, as upstream)
  if (!cont && rv !== undefined && match !== "Exact") {
    const cache = call.ctx.caches.forKind(kind);
    await cache.ready();
    if (rv === 0 || cache.revision >= rv || (await cache.waitForRevision(rv, 50))) return fromCache(call, cache, { pred, start: prefix });
    const current = await call.ctx.backend.currentRevision();
    if (rv > current) throw tooLarge(rv, current);
  }
  // a consistent LIST (no resourceVersion): from the cache once it has caught up with the datastore (ConsistentListFromCache)
  if (!cont && rv === undefined) {
    const cache = await caughtUp(call);
    if (cache) return fromCache(call, cache, { pred, start: prefix, limit });
  }
  // the next page of a list the cache served, while the cache is still at that revision
  if (cont) {
    const t = decodeContinue(cont);
    const cache = call.ctx.caches.forKind(kind);
    if (cache.loaded && cache.revision === t.rv) return fromCache(call, cache, { pred, start: prefix + t.start, limit });
  }

  let start = prefix;
  let readRev = match === "Exact" && rv !== undefined ? rv : 0;
  if (cont) {
    // the cache has moved on since this token's page: read the datastore at the token's revision
    const t = decodeContinue(cont);
    start = prefix + t.start;
    readRev = t.rv;
  }
  const end = prefixEnd(prefix);
  const items: KubeObject[] = [];
  let nextStart: string | undefined;
  let revision = readRev;
  let remaining: number | undefined;
  try {
    for (;;) {
      const chunk = limit ? Math.max(limit - items.length, pred.empty ? 0 : 100) : undefined;
      const res = await call.ctx.backend.list(start, { end, revision: revision || undefined, limit: chunk });
      revision = res.revision;
      let lastKey: string | undefined;
      for (const kv of res.kvs) {
        lastKey = kv.key;
        const obj = served(kind, decodeStored(kv));
        if (!pred.matches(obj)) continue;
        items.push(obj);
        if (limit && items.length >= limit) break;
      }
      const stoppedEarly = lastKey !== undefined && lastKey !== res.kvs[res.kvs.length - 1]?.key;
      if (limit && items.length >= limit && (res.more || stoppedEarly)) {
        nextStart = `${(lastKey ?? "").slice(prefix.length)}\u0000`;
        if (pred.empty) remaining = Math.max(0, res.count - res.kvs.length);
        break;
      }
      if (!res.more || lastKey === undefined) break;
      start = `${lastKey}\u0000`;
    }
  } catch (err) {
    if (err instanceof CompactedError) {
      if (cont) throw expired(CONTINUE_EXPIRED);
      throw expired(`too old resource version: ${readRev} (${err.compactRevision})`);
    }
    if (err instanceof FutureRevisionError) throw tooLarge(readRev, await call.ctx.backend.currentRevision());
    throw err;
  }
  const metadata: ListMeta = { resourceVersion: String(revision) };
  if (nextStart !== undefined) {
    metadata.continue = encodeContinue(revision, nextStart);
    if (remaining !== undefined && remaining > 0) metadata.remainingItemCount = remaining;
  }
  return { kind: kind.listKind, apiVersion, metadata, items };
}

/** GET on a collection. */
export async function listHandler(call: Call): Promise<Reply> {
  return { status: 200, object: await listObjects(call) };
}
