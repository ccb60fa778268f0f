/** One informer per resource (and namespace/selector) per process, shared by every consumer. */
import type { KubeObject } from "../api/types.ts";
import type { Client, ResourceRef } from "./client.ts";
import { Informer, type InformerOptions } from "./informer.ts";

/** Hands out shared informers; start() starts those not yet running. */
export class SharedInformerFactory {
  private informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(
    readonly client: Client,
    private readonly defaults: InformerOptions = {},
  ) {}

  /** The shared informer for a resource; created on first use. */
  informerFor<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: InformerOptions = {}): Informer<T> {
    const merged = { ...this.defaults, ...opts };
    const key = [ref.group, ref.version, ref.resource, merged.namespace ?? "", merged.labelSelector ?? "", merged.fieldSelector ?? ""].join("|");
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer<KubeObject>(this.client, ref, merged);
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  /** Starts every informer; informers asked for later start immediately. */
  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  /** Resolves when every informer created so far has synced. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  stop(): void {
    for (const inf of this.informers.values()) inf.stop();
    this.informers.clear();
    this.started = false;
  }
}
