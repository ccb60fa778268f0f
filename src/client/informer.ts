/**
 * client-go style informer: list, then watch from the list's resourceVersion
 * with bookmarks, resume from the last seen version, relist on 410 Gone.
 */
import type { KubeObject, Status } from "../api/types.ts";
import { ApiError, type Client, type ResourceRef } from "./client.ts";
import { objectKey, Store, type IndexFunc } from "./store.ts";

export interface EventHandlers<T extends KubeObject = KubeObject> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

export interface InformerOptions {
  /** watch one namespace only */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** re-deliver every cached object as an update this often (0 = never) */
  resyncMs?: number;
  /** server-side watch timeout per watch request */
  watchTimeoutSeconds?: number;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

function isGone(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 410 || err.reason === "Expired" || err.reason === "Gone");
}

/** Lists and watches one resource into an indexed cache and calls handlers on change. */
export class Informer<T extends KubeObject = KubeObject> {
  readonly store = new Store<T>();
  private handlers: EventHandlers<T>[] = [];
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private ac = new AbortController();
  private running = false;
  private resyncTimer: NodeJS.Timeout | undefined;
  private currentWatch: { stop(): void } | undefined;
  /** the resourceVersion to resume from */
  lastResourceVersion = "";
  /** how many times the informer listed (1 + relists), for tests and metrics */
  listCount = 0;
  /** how many watches ended in 410 Gone / Expired (each forces a relist) */
  expiredCount = 0;

  constructor(
    private readonly client: Client,
    readonly ref: ResourceRef,
    private readonly opts: InformerOptions = {},
  ) {}

  /** Registers handlers (replaying the cache as adds when synced); returns the unregister function. */
  addEventHandler(h: EventHandlers<T>): () => void {
    this.handlers.push(h);
    if (this.synced) for (const o of this.store.list()) h.add?.(o);
    return () => {
      this.handlers = this.handlers.filter((x) => x !== h);
    };
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.store.addIndexer(name, fn);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list is in the cache. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Starts the list/watch loop in the background (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
    if (this.opts.resyncMs) {
      this.resyncTimer = setInterval(() => {
        for (const o of this.store.list()) this.emit("update", o, o);
      }, this.opts.resyncMs);
      this.resyncTimer.unref();
    }
  }

  stop(): void {
    this.ac.abort();
    this.currentWatch?.stop();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
  }

  private emit(kind: "add" | "update" | "delete", a: T, b?: T): void {
    for (const h of this.handlers) {
      try {
        if (kind === "add") h.add?.(a);
        else if (kind === "update") h.update?.(a, b!);
        else h.delete?.(a);
      } catch (err) {
        console.error(`informer ${this.ref.resource}: handler failed:`, err);
      }
    }
  }

  private async loop(): Promise<void> {
    const signal = this.ac.signal;
    let failures = 0;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.list();
          needList = false;
        }
        await this.watchOnce();
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        if (isGone(err)) {
          this.expiredCount++;
          needList = true;
          continue;
        }
        failures++;
        // a failed list or watch might mean we missed events: relist after a pause
        needList = needList || failures > 3;
        await sleep(Math.min(100 * 2 ** failures, 5000), signal);
      }
    }
  }

  private async list(): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = "";
    do {
      const page = await this.client.list<T>(this.ref, this.opts.namespace, {
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
        limit: 500,
        continue: cont,
      });
      items.push(...page.items);
      cont = page.metadata.continue || undefined;
      rv = page.metadata.resourceVersion ?? rv;
    } while (cont);
    this.listCount++;
    this.replace(items, rv);
  }

  private replace(items: T[], rv: string): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.store.upsert(obj);
      if (!old) this.emit("add", obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit("update", old, obj);
    }
    for (const key of this.store.keys()) {
      if (seen.has(key)) continue;
      const old = this.store.remove(key);
      if (old) this.emit("delete", old);
    }
    this.lastResourceVersion = rv;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private async watchOnce(): Promise<void> {
    const w = await this.client.watch<T>(this.ref, this.opts.namespace, {
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
      resourceVersion: this.lastResourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
    });
    this.currentWatch = w;
    if (this.ac.signal.aborted) w.stop();
    try {
      for await (const ev of w) {
        if (ev.type === "ERROR") {
          const st = ev.object as unknown as Status;
          throw new ApiError(st);
        }
        const obj = ev.object;
        const rv = obj.metadata?.resourceVersion;
        if (ev.type === "BOOKMARK") {
          if (rv) this.lastResourceVersion = rv;
          continue;
        }
        if (ev.type === "DELETED") {
          // the event carries the object's last state; handlers get it even if the cache never had it
          this.store.remove(objectKey(obj));
          this.emit("delete", obj);
        } else {
          const old = this.store.upsert(obj);
          if (old) this.emit("update", old, obj);
          else this.emit("add", obj);
        }
        if (rv) this.lastResourceVersion = rv;
      }
    } finally {
      w.stop();
      this.currentWatch = undefined;
    }
  }
}
