/**
 * An event recorder as client-go's: core/v1 Events named
 * "<object>.<hex nanos>", repeated events (same object, type, reason,
 * message, source) aggregated by bumping count and lastTimestamp.
 */
import type { KubeObject } from "../api/types.ts";
import type { Client } from "./client.ts";
import { R } from "./resources.ts";

export interface EventRecorderOptions {
  /** source.component, e.g. "default-scheduler", "deployment-controller" */
  component: string;
  /** source.host */
  host?: string;
  /** reportingController (defaults to the component) */
  reportingController?: string;
  reportingInstance?: string;
}

export interface EventRecorder {
  /** Records an event about obj; never throws, never blocks the caller. */
  event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string): void;
  /** Resolves when every event written so far reached the server (tests). */
  flush(): Promise<void>;
}

interface CachedEvent {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

const nowISO = (): string => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/** Creates an event recorder writing through the client. */
export function createEventRecorder(client: Client, opts: EventRecorderOptions): EventRecorder {
  const cache = new Map<string, CachedEvent>();
  // writes for one aggregation key stay in order; different keys go concurrently
  const chains = new Map<string, Promise<void>>();
  let seq = 0;
  const keyOf = (obj: KubeObject, type: string, reason: string, message: string): string =>
    [obj.metadata.uid, obj.metadata.namespace, obj.metadata.name, obj.kind, type, reason, message, opts.component].join("\u0000");
  async function write(obj: KubeObject, type: string, reason: string, message: string): Promise<void> {
    const m = obj.metadata;
    const namespace = m.namespace || "default";
    const key = keyOf(obj, type, reason, message);
    const now = nowISO();
    const cached = cache.get(key);
    if (cached) {
      cached.count++;
      try {
        await client.patch(R.events, cached.namespace, cached.name, "merge", { count: cached.count, lastTimestamp: now });
        return;
      } catch {
        // the event may have expired or been deleted: write a new one below
        cache.delete(key);
      }
    }
    const nanos = BigInt(Date.now()) * 1_000_000n + BigInt(seq++ % 1_000_000);
    const name = `${m.name}.${nanos.toString(16)}`;
    const ev = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: {
        kind: obj.kind,
        namespace: m.namespace,
        name: m.name,
        uid: m.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: m.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: opts.component, ...(opts.host ? { host: opts.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      eventTime: null,
      reportingComponent: opts.reportingController ?? opts.component,
      reportingInstance: opts.reportingInstance ?? opts.host ?? "",
    };
    try {
      await client.create(R.events, namespace, ev);
      cache.set(key, { name, namespace, count: 1, firstTimestamp: now });
      if (cache.size > 4096) cache.delete(cache.keys().next().value as string);
    } catch (err) {
      if (process.env.K3S_TS_DEBUG) console.error(`event ${reason} for ${m.namespace}/${m.name} failed:`, err);
    }
  }
  return {
    event(obj, type, reason, message) {
      const key = keyOf(obj, type, reason, message);
      const next = (chains.get(key) ?? Promise.resolve()).then(() => write(obj, type, reason, message)).catch(() => undefined);
      chains.set(key, next);
      void next.then(() => {
        if (chains.get(key) === next) chains.delete(key);
      });
    },
    async flush() {
      while (chains.size) await Promise.all([...chains.values()]);
    },
  };
}
