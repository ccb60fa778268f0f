/**
 * A datastore watch over etcd's Watch stream: one stream per watch, with
 * prev_kv. When the connection breaks the watch resumes on the next endpoint
 * from the revision after the last one delivered, so watchers see no gap;
 * if that revision was compacted meanwhile, the watch fails with
 * CompactedError (the API server's watch cache then reloads).
 */
import { CompactedError, type WatchEvent } from "../backend.ts";
import type { PbWatchResponse } from "../etcd/messages.ts";
import type { EtcdClient, WatchStream } from "./client.ts";
import { fromPbEvent, keyBytes } from "./convert.ts";
import { FailableQueue } from "./queue.ts";

/** What to watch. */
export interface WatchSpec {
  start: string;
  end?: string;
  /** first revision to deliver; 0 = changes after now */
  startRevision: number;
  signal: AbortSignal;
  log: (msg: string) => void;
}

const MAX_PAUSE_MS = 5000;

/** resolves once etcd created the watch; the iterable then yields batches until the signal aborts */
export async function openWatch(client: EtcdClient, spec: WatchSpec): Promise<AsyncIterable<WatchEvent[]>> {
  let stream: WatchStream | undefined;
  const queue = new FailableQueue<WatchEvent[]>(spec.signal, () => stream?.cancel());
  /** the next revision to ask for when the stream has to be opened again */
  let next = spec.startRevision;

  const attach = (from: number): Promise<void> =>
    new Promise((created, failed) => {
      let isCreated = false;
      const onResponse = (res: PbWatchResponse) => {
        if (res.canceled) {
          const err = res.compact_revision ? new CompactedError(res.compact_revision, res.header.revision) : new Error(`etcd canceled the watch: ${res.cancel_reason || "no reason given"}`);
          stream?.cancel();
          if (isCreated) queue.fail(err);
          else failed(err);
          return;
        }
        if (res.created && !isCreated) {
          isCreated = true;
          // a watch from "now" starts after the revision etcd created it at
          if (from === 0) next = res.header.revision + 1;
          created();
        }
        if (res.events?.length) {
          const batch = res.events.map(fromPbEvent);
          next = batch[batch.length - 1].kv.modRevision + 1;
          queue.push(batch);
        }
      };
      const onClose = (err?: Error) => {
        if (spec.signal.aborted) return;
        if (!isCreated) failed(err ?? new Error("etcd ended the watch stream before creating the watch"));
        else if (client.isClosed) queue.fail(new Error("etcd watch ended: the datastore was closed"));
        else void resume(err);
      };
      client.watch({ response: onResponse, close: onClose }).then((s) => {
        stream = s;
        if (spec.signal.aborted) {
          s.cancel();
          return created();
        }
        s.send({ create_request: { key: keyBytes(spec.start), range_end: keyBytes(spec.end), start_revision: from, prev_kv: true } });
      }, failed);
    });

  const resume = async (why?: Error) => {
    spec.log(`datastore: etcd watch on ${JSON.stringify(spec.start)} broke (${why?.message ?? "stream ended"}); resuming from revision ${next}`);
    for (let pause = 250; !spec.signal.aborted; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      if (client.isClosed) return queue.fail(new Error("etcd watch ended: the datastore was closed"));
      try {
        await attach(next);
        return;
      } catch (err) {
        if (err instanceof CompactedError) return queue.fail(err);
        spec.log(`datastore: etcd watch on ${JSON.stringify(spec.start)} not resumed: ${(err as Error).message}; retrying in ${pause} ms`);
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  };

  await attach(spec.startRevision);
  return queue;
}
