/**
 * One watch cache per storage prefix: the shared datastore watch (feed.ts)
 * feeds the current objects and a ring of recent events, so any number of API
 * watchers and LISTs cost no datastore work.
 */
import { CompactedError, type Backend, type WatchEvent } from "../../datastore/backend.ts";
import type { KubeObject } from "../../api/types.ts";
import { decodeStored, prefixEnd } from "./codec.ts";
import type { Feed, FeedSink } from "./feed.ts";

/** One change as the cache saw it; objects are shared and must not be mutated. */
export interface CacheEvent {
  type: "put" | "delete";
  key: string;
  rv: number;
  /** the new object (for a delete: the last value, stamped with the delete's revision) */
  obj: KubeObject;
  prev?: KubeObject;
}

/** Receives events in revision order; `end` is called when the cache can no longer serve it. */
export interface CacheListener {
  event(ev: CacheEvent): void;
  end(err?: Error): void;
}

export interface WatchCacheOptions {
  /** events kept for watchers resuming from a revision (default 2000) */
  capacity?: number;
}

/** Thrown when a watch asks for a revision the ring no longer holds. */
export class TooOldError extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

/** The cache of one storage prefix (ends with "/"). */
export class WatchCache implements FeedSink {
  readonly prefix: string;
  #backend: Backend;
  #feed: Feed;
  #capacity: number;
  #objects = new Map<string, KubeObject>();
  #ring: CacheEvent[] = [];
  /** every event with rv > #ringStart is in the ring */
  #ringStart = 0;
  #rev = 0;
  /** keys applied at #rev; undefined when #rev is complete (a load or feed progress) */
  #keysAtRev: Set<string> | undefined;
  #listeners = new Set<CacheListener>();
  #ready: Promise<void> | undefined;
  /** true once loaded and fed, until a reset */
  #loaded = false;
  /** events that arrived while the initial list was read */
  #pending: WatchEvent[] | undefined;
  #detach: (() => void) | undefined;
  /** bumped by a reset, so that a load overtaken by one starts over */
  #generation = 0;
  #closed = false;
  #revWaiters: { rev: number; resolve: () => void }[] = [];

  constructor(backend: Backend, prefix: string, feed: Feed, opts: WatchCacheOptions = {}) {
    this.#backend = backend;
    this.prefix = prefix;
    this.#feed = feed;
    this.#capacity = opts.capacity ?? 2000;
  }

  /**
   * Every change up to this revision is applied: the newest event, the initial
   * list, or the shared feed's progress (changes of other resources).
   */
  get revision(): number {
    return this.#rev;
  }

  /** whether the cache holds a consistent state now (ready() has resolved and no reset followed) */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** lists then follows the feed; resolves once the cache holds a consistent state */
  ready(): Promise<void> {
    this.#ready ??= this.#load();
    return this.#ready;
  }

  async #load(): Promise<void> {
    const generation = this.#generation;
    await this.#feed.ready();
    if (generation !== this.#generation) return this.#reload();
    // attach before listing: what the list misses arrives in #pending, what it has is skipped by revision
    this.#detach?.();
    this.#detach = this.#feed.attach(this);
    if (!this.#detach) {
      // the feed restarted between ready() and now
      this.#ready = undefined;
      return this.#reload();
    }
    this.#pending = [];
    let res: Awaited<ReturnType<Backend["list"]>>;
    try {
      res = await this.#backend.list(this.prefix, { end: prefixEnd(this.prefix) });
    } catch (err) {
      if (generation === this.#generation) this.#unload();
      throw err;
    }
    if (generation !== this.#generation) return this.#reload();
    this.#objects.clear();
    for (const kv of res.kvs) this.#objects.set(kv.key, decodeStored(kv));
    this.#rev = res.revision;
    this.#keysAtRev = undefined;
    this.#ringStart = res.revision;
    this.#ring = [];
    const pending = this.#pending;
    this.#pending = undefined;
    for (const ev of pending) this.#apply(ev);
    // every change the feed handed over is in #pending, so its progress holds for this prefix too
    if (this.#feed.revision > this.#rev) {
      this.#rev = this.#feed.revision;
      this.#keysAtRev = undefined;
    }
    this.#loaded = true;
    this.#wakeRevWaiters();
  }

  /** a failed load leaves nothing attached, and the next ready() tries again */
  #unload(): void {
    this.#detach?.();
    this.#detach = undefined;
    this.#pending = undefined;
    this.#ready = undefined;
  }

  /** a load that a reset overtook joins the load that followed it */
  #reload(): Promise<void> {
    if (this.#closed) throw new Error("watch cache closed");
    return this.ready();
  }

  /** FeedSink: this prefix's changes of one datastore batch, and the feed's progress */
  receive(events: WatchEvent[], progress: number): void {
    if (this.#pending) {
      this.#pending.push(...events);
      return;
    }
    for (const ev of events) this.#apply(ev);
    if (progress > this.#rev) {
      this.#rev = progress;
      this.#keysAtRev = undefined;
    }
    this.#wakeRevWaiters();
  }

  /** FeedSink: the datastore watch failed: end every watcher (they relist) and reload */
  reset(err: Error): void {
    this.#generation++;
    this.#loaded = false;
    this.#pending = undefined;
    this.#detach = undefined;
    for (const l of this.#listeners) l.end(err instanceof CompactedError ? err : new TooOldError(this.#rev, this.#rev));
    this.#listeners.clear();
    this.#ready = undefined;
    setTimeout(() => {
      if (!this.#closed) this.ready().catch(() => undefined);
    }, 100).unref();
  }

  #apply(ev: WatchEvent): void {
    const rev = ev.kv.modRevision;
    if (!this.#advance(rev, ev.kv.key)) return;
    const prev = this.#objects.get(ev.kv.key);
    let cev: CacheEvent;
    if (ev.type === "put") {
      const obj = decodeStored(ev.kv);
      this.#objects.set(ev.kv.key, obj);
      cev = { type: "put", key: ev.kv.key, rv: rev, obj, prev };
    } else {
      const last = prev ?? (ev.prevKv ? decodeStored(ev.prevKv) : undefined);
      this.#objects.delete(ev.kv.key);
      if (!last) return;
      const obj = { ...last, metadata: { ...last.metadata, resourceVersion: String(rev) } };
      cev = { type: "delete", key: ev.kv.key, rv: rev, obj, prev: last };
    }
    this.#ring.push(cev);
    if (this.#ring.length > this.#capacity) {
      const dropped = this.#ring.shift();
      if (dropped) this.#ringStart = dropped.rv;
    }
    for (const l of this.#listeners) l.event(cev);
  }

  /** whether an event at rev for key is new; one revision may carry several keys (an etcd txn or range delete) */
  #advance(rev: number, key: string): boolean {
    if (rev < this.#rev) return false;
    if (rev === this.#rev) {
      if (!this.#keysAtRev || this.#keysAtRev.has(key)) return false;
      this.#keysAtRev.add(key);
      return true;
    }
    this.#rev = rev;
    this.#keysAtRev = new Set([key]);
    return true;
  }

  #wakeRevWaiters(): void {
    const still: { rev: number; resolve: () => void }[] = [];
    for (const w of this.#revWaiters) (w.rev <= this.#rev ? w.resolve() : still.push(w));
    this.#revWaiters = still;
  }

  /** waits (at most timeoutMs) until the cache has applied revision `rev`; returns whether it has */
  async waitForRevision(rev: number, timeoutMs: number): Promise<boolean> {
    await this.ready();
    if (this.#rev >= rev) return true;
    return new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(this.#rev >= rev), timeoutMs);
      t.unref();
      this.#revWaiters.push({
        rev,
        resolve: () => {
          clearTimeout(t);
          resolve(true);
        },
      });
    });
  }

  /** the current objects whose key starts with `keyPrefix`, sorted by key, and the cache revision */
  snapshot(keyPrefix: string): { rev: number; items: { key: string; obj: KubeObject }[] } {
    const items: { key: string; obj: KubeObject }[] = [];
    for (const [key, obj] of this.#objects) if (key.startsWith(keyPrefix)) items.push({ key, obj });
    items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { rev: this.#rev, items };
  }

  /** the current object at key */
  getObject(key: string): KubeObject | undefined {
    return this.#objects.get(key);
  }

  /**
   * Subscribes a listener to events after `fromRev` (replayed from the ring
   * first). Throws TooOldError when the ring no longer reaches back that far.
   */
  subscribe(fromRev: number, listener: CacheListener): () => void {
    if (fromRev < this.#ringStart) throw new TooOldError(fromRev, this.#ringStart);
    for (const ev of this.#ring) if (ev.rv > fromRev) listener.event(ev);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#loaded = false;
    this.#detach?.();
    for (const l of this.#listeners) l.end();
    this.#listeners.clear();
  }
}
