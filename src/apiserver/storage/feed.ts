/**
 * The one datastore watch behind every watch cache. Because a single watch
 * delivers all keys in revision order, having handled revision R means every
 * cache has applied all of its changes up to R: that is the progress a
 * consistent LIST waits for (etcd's progress notification, which our
 * datastore interface does not have), even when R changed another resource.
 */
import type { Backend, WatchEvent } from "../../datastore/backend.ts";

/** A cache fed by the Feed: the events under its prefix, then how far the feed has got. */
export interface FeedSink {
  readonly prefix: string;
  /** this prefix's events of one batch (possibly none), then the revision every event up to which was handed over */
  receive(events: WatchEvent[], progress: number): void;
  /** the datastore watch failed: the sink must reload */
  reset(err: Error): void;
}

/** One datastore watch over the whole key space, fanned out to the caches by prefix. */
export class Feed {
  #backend: Backend;
  #sinks = new Set<FeedSink>();
  #rev = 0;
  #ready: Promise<void> | undefined;
  /** the datastore watch is running (between a start and a restart) */
  #live = false;
  #abort = new AbortController();
  #closed = false;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** every change up to this revision has been handed to the sinks attached at that time */
  get revision(): number {
    return this.#rev;
  }

  /** starts the datastore watch once; resolves when changes after `revision` will be delivered */
  ready(): Promise<void> {
    // a closed feed never starts again (a cache loading after close would otherwise retry forever)
    if (this.#closed) return Promise.reject(new Error("watch cache feed closed"));
    this.#ready ??= this.#start();
    return this.#ready;
  }

  async #start(): Promise<void> {
    const rev = await this.#backend.currentRevision();
    const signal = this.#abort.signal;
    // "\0" to "\0" is the whole key space (etcd's convention)
    const iter = await this.#backend.watch("\0", { end: "\0", startRevision: rev + 1, signal });
    this.#rev = Math.max(this.#rev, rev);
    this.#live = true;
    void this.#pump(iter);
  }

  /** hands this sink every batch from now on; returns the detach function, or undefined when the watch is down (await ready() again) */
  attach(sink: FeedSink): (() => void) | undefined {
    if (!this.#live) return undefined;
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  async #pump(iter: AsyncIterable<WatchEvent[]>): Promise<void> {
    try {
      for await (const batch of iter) {
        if (!batch.length) continue;
        this.#rev = Math.max(this.#rev, batch[batch.length - 1].kv.modRevision);
        for (const sink of this.#sinks) {
          const mine = batch.filter((e) => e.kv.key.startsWith(sink.prefix));
          sink.receive(mine, this.#rev);
        }
      }
    } catch (err) {
      if (!this.#closed) this.#restart(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (!this.#closed) this.#restart(new Error("datastore watch ended"));
  }

  /** every cache reloads from a fresh watch: they cannot know what they missed */
  #restart(err: Error): void {
    this.#live = false;
    this.#abort.abort();
    this.#abort = new AbortController();
    this.#ready = undefined;
    const sinks = [...this.#sinks];
    this.#sinks.clear();
    for (const s of sinks) s.reset(err);
  }

  close(): void {
    this.#closed = true;
    this.#live = false;
    this.#abort.abort();
    this.#sinks.clear();
  }
}
