/** One WatchCache per storage prefix, created when a kind is first served. */
import type { Backend } from "../../datastore/backend.ts";
import type { KindDef } from "../../api/kind.ts";
import { storagePrefix } from "../kinds.ts";
import { Feed } from "./feed.ts";
import { WatchCache, type WatchCacheOptions } from "./watchcache.ts";

/** The caches of every served resource, shared between versions of one resource, fed by one datastore watch. */
export class CacheSet {
  #backend: Backend;
  #feed: Feed;
  #opts: WatchCacheOptions;
  #caches = new Map<string, WatchCache>();

  constructor(backend: Backend, opts: WatchCacheOptions = {}) {
    this.#backend = backend;
    this.#opts = opts;
    this.#feed = new Feed(backend);
  }

  /** the cache of a kind's storage prefix, started on first use */
  forKind(kind: Pick<KindDef, "group" | "resource" | "schemaRef">): WatchCache {
    const prefix = `${storagePrefix(kind)}/`;
    let c = this.#caches.get(prefix);
    if (!c) {
      c = new WatchCache(this.#backend, prefix, this.#feed, this.#opts);
      this.#caches.set(prefix, c);
    }
    return c;
  }

  close(): void {
    this.#feed.close();
    for (const c of this.#caches.values()) c.close();
    this.#caches.clear();
  }
}
