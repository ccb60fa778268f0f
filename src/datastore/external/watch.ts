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
  const watch = new ResumingWatch(client, spec);
  await watch.attach(spec.startRevision);
  return watch.queue;
}

/** one datastore watch: its queue, the stream feeding it now, and where to resume */
class ResumingWatch {
  readonly queue: FailableQueue<WatchEvent[]>;
  private stream?: WatchStream;
  /** the next revision to ask for when the stream has to be opened again */
  private next: number;

  constructor(
    private client: EtcdClient,
    private spec: WatchSpec,
  ) {
    this.queue = new FailableQueue(spec.signal, () => this.stream?.cancel());
    this.next = spec.startRevision;
  }

  /** opens a stream and creates the watch from `from`; resolves once etcd created it */
  attach(from: number): Promise<void> {
    return new Promise((created, failed) => {
      let isCreated = false;
      const onResponse = (res: PbWatchResponse) => {
        if (res.canceled) {
          this.stream?.cancel();
          const err = res.compact_revision ? new CompactedError(res.compact_revision, res.header.revision) : new Error(`etcd canceled the watch: ${res.cancel_reason || "no reason given"}`);
          return isCreated ? this.queue.fail(err) : failed(err);
        }
        if (res.created && !isCreated) {
          isCreated = true;
          // a watch from "now" starts after the revision etcd created it at
          if (from === 0) this.next = res.header.revision + 1;
          created();
        }
        if (res.events?.length) this.deliver(res.events.map(fromPbEvent));
      };
      const onClose = (err?: Error) => {
        if (this.spec.signal.aborted) return;
        if (!isCreated) failed(err ?? new Error("etcd ended the watch stream before creating the watch"));
        else if (this.client.isClosed) this.queue.fail(new Error("etcd watch ended: the datastore was closed"));
        else void this.resume(err);
      };
      this.client.watch({ response: onResponse, close: onClose }).then((s) => {
        this.stream = s;
        if (this.spec.signal.aborted) return (s.cancel(), created());
        s.send({ create_request: { key: keyBytes(this.spec.start), range_end: keyBytes(this.spec.end), start_revision: from, prev_kv: true } });
      }, failed);
    });
  }

  private deliver(batch: WatchEvent[]): void {
    this.next = batch[batch.length - 1].kv.modRevision + 1;
    this.queue.push(batch);
  }

  /** reopens the watch after the last delivered revision, on whichever endpoint answers, until it works or cannot */
  private async resume(why?: Error): Promise<void> {
    const { spec } = this;
    spec.log(`datastore: etcd watch on ${JSON.stringify(spec.start)} broke (${why?.message ?? "stream ended"}); resuming from revision ${this.next}`);
    for (let pause = 250; !spec.signal.aborted; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      if (this.client.isClosed) return this.queue.fail(new Error("etcd watch ended: the datastore was closed"));
      try {
        return await this.attach(this.next);
      } catch (err) {
        if (err instanceof CompactedError) return this.queue.fail(err);
        spec.log(`datastore: etcd watch on ${JSON.stringify(spec.start)} not resumed: ${(err as Error).message}; retrying in ${pause} ms`);
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }
}
