/**
 * One watch cache per storage prefix: a single datastore watch feeds the
 * current objects and a ring of recent events, so any number of API watchers
 * and LIST at resourceVersion=0 cost no datastore work.
 */
import { CompactedError, type Backend, type WatchEvent } from "../../datastore/backend.ts";
import type { KubeObject } from "../../api/types.ts";
import { decodeStored, prefixEnd } from "./codec.ts";

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
export class WatchCache {
  readonly prefix: string;
  #backend: Backend;
  #capacity: number;
  #objects = new Map<string, KubeObject>();
  #ring: CacheEvent[] = [];
  /** every event with rv > #ringStart is in the ring */
  #ringStart = 0;
  #rev = 0;
  #listeners = new Set<CacheListener>();
  #abort = new AbortController();
  #ready: Promise<void> | undefined;
  #closed = false;
  #revWaiters: { rev: number; resolve: () => void }[] = [];

  constructor(backend: Backend, prefix: string, opts: WatchCacheOptions = {}) {
    this.#backend = backend;
    this.prefix = prefix;
    this.#capacity = opts.capacity ?? 2000;
  }

  /** the revision of the newest event applied (or of the initial list) */
  get revision(): number {
    return this.#rev;
  }

  /** lists then watches; resolves once the cache holds a consistent state */
  ready(): Promise<void> {
    this.#ready ??= this.#load();
    return this.#ready;
  }

  async #load(): Promise<void> {
    const res = await this.#backend.list(this.prefix, { end: prefixEnd(this.prefix) });
    this.#objects.clear();
    for (const kv of res.kvs) this.#objects.set(kv.key, decodeStored(kv));
    this.#rev = res.revision;
    this.#ringStart = res.revision;
    this.#ring = [];
    const signal = this.#abort.signal;
    const iter = await this.#backend.watch(this.prefix, { end: prefixEnd(this.prefix), startRevision: res.revision + 1, signal });
    void this.#pump(iter);
  }

  async #pump(iter: AsyncIterable<WatchEvent[]>): Promise<void> {
    try {
      for await (const batch of iter) {
        for (const ev of batch) this.#apply(ev);
        this.#wakeRevWaiters();
      }
    } catch (err) {
      if (this.#closed) return;
      this.#restart(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (!this.#closed) this.#restart(new Error("datastore watch ended"));
  }

  /** the datastore watch failed: end every watcher (they relist) and reload */
  #restart(err: Error): void {
    for (const l of this.#listeners) l.end(err instanceof CompactedError ? err : new TooOldError(this.#rev, this.#rev));
    this.#listeners.clear();
    this.#abort = new AbortController();
    this.#ready = undefined;
    setTimeout(() => {
      if (!this.#closed) this.ready().catch(() => undefined);
    }, 100).unref();
  }

  #apply(ev: WatchEvent): void {
    const rev = ev.kv.modRevision;
    if (rev <= this.#rev) return;
    const prev = this.#objects.get(ev.kv.key);
    let cev: CacheEvent;
    if (ev.type === "put") {
      const obj = decodeStored(ev.kv);
      this.#objects.set(ev.kv.key, obj);
      cev = { type: "put", key: ev.kv.key, rv: rev, obj, prev };
    } else {
      const last = prev ?? (ev.prevKv ? decodeStored(ev.prevKv) : undefined);
      this.#objects.delete(ev.kv.key);
      if (!last) {
        this.#rev = rev;
        return;
      }
      const obj = { ...last, metadata: { ...last.metadata, resourceVersion: String(rev) } };
      cev = { type: "delete", key: ev.kv.key, rv: rev, obj, prev: last };
    }
    this.#rev = rev;
    this.#ring.push(cev);
    if (this.#ring.length > this.#capacity) {
      const dropped = this.#ring.shift();
      if (dropped) this.#ringStart = dropped.rv;
    }
    for (const l of this.#listeners) l.event(cev);
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
    this.#abort.abort();
    for (const l of this.#listeners) l.end();
    this.#listeners.clear();
  }
}
