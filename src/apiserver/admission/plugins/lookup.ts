/**
 * Namespace lists from an informer with upstream's live-lookup fallback:
 * when the cache holds nothing for a namespace (not synced yet, or an object
 * created a moment ago that the watch has not delivered), the API server is
 * asked, and that answer is reused for a short while.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { Client, ResourceRef } from "../../../client/client.ts";
import type { Informer } from "../../../client/informer.ts";
import { Lister } from "../../../client/lister.ts";
import { getOrUndefined } from "./common.ts";

export interface NamespacedLookupOptions {
  client: Client;
  ref: ResourceRef;
  /** how long a live answer stands in for the cache (upstream: 30 s) */
  ttlMs?: number;
}

/** Lists one resource per namespace, cache first. */
export class NamespacedLookup<T extends KubeObject> {
  private readonly lister: Lister<T>;
  private readonly live = new Map<string, { until: number; items: T[] }>();

  constructor(
    private readonly informer: Informer<T>,
    private readonly opts: NamespacedLookupOptions,
  ) {
    this.lister = new Lister(informer);
  }

  /** The namespace's objects (cached, else live). */
  async list(namespace: string): Promise<T[]> {
    if (this.informer.hasSynced()) {
      const cached = this.lister.list(namespace);
      if (cached.length) return cached;
    }
    const hit = this.live.get(namespace);
    if (hit && hit.until > Date.now()) return hit.items;
    const items = (await this.opts.client.list<T>(this.opts.ref, namespace)).items;
    // a short memory: without it every write in a namespace without objects would ask the API server
    this.live.set(namespace, { until: Date.now() + (this.opts.ttlMs ?? 30_000), items });
    if (this.live.size > 1024) this.live.delete(this.live.keys().next().value!);
    return items;
  }
}

/**
 * One cluster-scoped resource, cache first: a name the cache does not hold is
 * read live (the watch may lag a create made a moment ago, as upstream's
 * RuntimeClass plugin allows for), and lists are live until the cache syncs.
 */
export class ClusterLookup<T extends KubeObject> {
  private readonly lister: Lister<T>;

  constructor(
    private readonly informer: Informer<T>,
    private readonly opts: Pick<NamespacedLookupOptions, "client" | "ref">,
  ) {
    this.lister = new Lister(informer);
  }

  /** The named object, or undefined when it does not exist. */
  async get(name: string): Promise<T | undefined> {
    const cached = this.lister.get(undefined, name);
    if (cached) return cached;
    return getOrUndefined<T>(this.opts.client, { ref: this.opts.ref, name });
  }

  /** Every object (cached once synced, else live). */
  async list(): Promise<T[]> {
    if (this.informer.hasSynced()) return this.lister.list();
    return (await this.opts.client.list<T>(this.opts.ref, undefined)).items;
  }
}
