/** etcd's Watch service: many watches multiplexed on one bidirectional stream. */
import type { DuplexCall } from "./grpc.ts";
import { CompactedError, type WatchEvent } from "../backend.ts";
import type { KineBackend } from "../log/kine-backend.ts";
import { endOf, header, keyOf, toPbKv } from "./convert.ts";
import type { PbEvent, PbWatchCreateRequest, PbWatchRequest, PbWatchResponse } from "./messages.ts";

/** how often a watch that asked for progress notifications gets one when idle (kine: 5 s) */
const PROGRESS_MS = 5000;

/** serves one Watch stream until the client ends it */
export function serveWatch(be: KineBackend, call: DuplexCall<PbWatchRequest, PbWatchResponse>): void {
  const watches = new Map<number, AbortController>();
  let nextId = 1;
  let ended = false;
  const send = (msg: PbWatchResponse) => {
    if (!ended) call.write(msg);
  };
  const endAll = () => {
    ended = true;
    for (const ac of watches.values()) ac.abort();
    watches.clear();
  };
  call.on("data", (req: PbWatchRequest) => {
    if (req.create_request) {
      const id = req.create_request.watch_id > 0 ? req.create_request.watch_id : nextId++;
      if (id >= nextId) nextId = id + 1;
      void create(be, req.create_request, { id, watches, send }).catch((err: unknown) => {
        send({ header: header(0), watch_id: id, canceled: true, cancel_reason: String(err) });
      });
    } else if (req.cancel_request) {
      const id = req.cancel_request.watch_id;
      watches.get(id)?.abort();
      watches.delete(id);
      void be.currentRevision().then((rev) => send({ header: header(rev), watch_id: id, canceled: true }));
    } else if (req.progress_request) {
      void be.currentRevision().then((rev) => send({ header: header(rev), watch_id: -1 }));
    }
  });
  call.on("end", () => {
    endAll();
    call.end();
  });
  call.on("error", endAll);
  call.on("cancelled", endAll);
}

interface WatchContext {
  id: number;
  watches: Map<number, AbortController>;
  send(msg: PbWatchResponse): void;
}

async function create(be: KineBackend, req: PbWatchCreateRequest, ctx: WatchContext): Promise<void> {
  const ac = new AbortController();
  ctx.watches.set(ctx.id, ac);
  const start = keyOf(req.key);
  const end = endOf(req.range_end);
  let iter: AsyncIterable<WatchEvent[]>;
  try {
    iter = await be.watch(start, { end, startRevision: req.start_revision, signal: ac.signal });
  } catch (err) {
    ctx.watches.delete(ctx.id);
    if (!(err instanceof CompactedError)) throw err;
    ctx.send({ header: header(err.currentRevision), watch_id: ctx.id, created: true });
    ctx.send({
      header: header(err.currentRevision),
      watch_id: ctx.id,
      canceled: true,
      compact_revision: err.compactRevision,
      cancel_reason: "etcdserver: mvcc: required revision has been compacted",
    });
    return;
  }
  ctx.send({ header: header(await be.currentRevision()), watch_id: ctx.id, created: true });
  const noPut = req.filters.includes("NOPUT");
  const noDelete = req.filters.includes("NODELETE");
  let lastSent = Date.now();
  const progress = req.progress_notify
    ? setInterval(() => {
        if (Date.now() - lastSent < PROGRESS_MS) return;
        lastSent = Date.now();
        void be.currentRevision().then((rev) => ctx.send({ header: header(rev), watch_id: ctx.id }));
      }, PROGRESS_MS)
    : undefined;
  try {
    for await (const batch of iter) {
      const events: PbEvent[] = [];
      for (const e of batch) {
        if ((e.type === "put" && noPut) || (e.type === "delete" && noDelete)) continue;
        events.push({ type: e.type === "put" ? "PUT" : "DELETE", kv: toPbKv(e.kv), prev_kv: req.prev_kv && e.prevKv ? toPbKv(e.prevKv) : undefined });
      }
      if (!events.length) continue;
      lastSent = Date.now();
      ctx.send({ header: header(batch[batch.length - 1].kv.modRevision), watch_id: ctx.id, events });
    }
  } finally {
    clearInterval(progress);
  }
  // the datastore ended a watch that fell too far behind: tell the client, as etcd cancels slow watchers
  if (!ac.signal.aborted && ctx.watches.get(ctx.id) === ac) {
    ctx.watches.delete(ctx.id);
    ctx.send({ header: header(await be.currentRevision()), watch_id: ctx.id, canceled: true, cancel_reason: "watcher fell behind; watch again" });
  }
}
