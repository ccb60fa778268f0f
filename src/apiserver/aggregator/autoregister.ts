/**
 * Local APIServices for every group/version the server itself serves, as
 * kube-apiserver's autoregister and CRD registration controllers keep them
 * (so `kubectl get apiservices` lists v1., v1.apps, ... and CRD groups as
 * Local). Only objects labelled automanaged are created or removed.
 */
import type { KindDef } from "../../api/kind.ts";
import { ApiError, type Client, type ResourceRef } from "../../client/client.ts";
import type { KindRegistry } from "../kinds.ts";
import type { APIService } from "./types.ts";

const APISERVICES: ResourceRef = { group: "apiregistration.k8s.io", version: "v1", resource: "apiservices", namespaced: false };
const LABEL = "kube-aggregator.kubernetes.io/automanaged";

/** Upstream's priorities of the built-in group/versions: [groupPriorityMinimum, versionPriority]. */
const PRIORITIES: Record<string, [number, number]> = {
  "/v1": [18000, 1],
  "apiregistration.k8s.io/v1": [18000, 15],
  "apps/v1": [17800, 15],
  "events.k8s.io/v1": [17750, 15],
  "authentication.k8s.io/v1": [17700, 15],
  "authorization.k8s.io/v1": [17600, 15],
  "autoscaling/v1": [17500, 15],
  "autoscaling/v2": [17500, 30],
  "batch/v1": [17400, 15],
  "certificates.k8s.io/v1": [17300, 15],
  "networking.k8s.io/v1": [17200, 15],
  "policy/v1": [17100, 15],
  "rbac.authorization.k8s.io/v1": [17000, 15],
  "storage.k8s.io/v1": [16800, 15],
  "apiextensions.k8s.io/v1": [16700, 15],
  "admissionregistration.k8s.io/v1": [16700, 15],
  "scheduling.k8s.io/v1": [16600, 15],
  "coordination.k8s.io/v1": [16500, 15],
  "node.k8s.io/v1": [16300, 15],
  "discovery.k8s.io/v1": [16200, 15],
  "flowcontrol.apiserver.k8s.io/v1": [16100, 21],
};

export interface AutoRegistrationOptions {
  /** a superuser client */
  client: Client;
  /** the served kinds; changes (CRDs) are followed */
  kinds: KindRegistry;
  /** how long to gather kind changes before reconciling (default 200 ms) */
  delayMs?: number;
}

/** A running autoregistration. */
export interface AutoRegistration {
  /** resolves after the next reconcile has finished */
  synced(): Promise<void>;
  stop(): void;
}

function isCustom(k: KindDef): boolean {
  return (k as KindDef & { customResource?: boolean }).customResource === true;
}

/** The automanaged APIServices the kinds call for. */
export function localAPIServices(kinds: KindDef[]): APIService[] {
  const out = new Map<string, APIService>();
  for (const k of kinds) {
    // "v1." (the core group) is a valid APIService name upstream, but the REST core's generic name rule refuses it
    if (k.group === "") continue;
    const name = `${k.version}.${k.group}`;
    if (out.has(name)) continue;
    const custom = isCustom(k);
    const [gpm, vp] = custom ? [1000, 100] : (PRIORITIES[`${k.group}/${k.version}`] ?? [1000, 15]);
    out.set(name, {
      apiVersion: "apiregistration.k8s.io/v1",
      kind: "APIService",
      metadata: { name, labels: { [LABEL]: custom ? "true" : "onstart" } },
      spec: { ...(k.group ? { group: k.group } : {}), version: k.version, groupPriorityMinimum: gpm, versionPriority: vp },
    });
  }
  return [...out.values()];
}

/** Starts keeping local APIServices in line with the served kinds. */
export function startAutoRegistration(opts: AutoRegistrationOptions): AutoRegistration {
  const { client, kinds } = opts;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let waiters: (() => void)[] = [];

  async function reconcile(): Promise<void> {
    const want = localAPIServices(kinds.all());
    const have = await client.list<APIService>(APISERVICES, undefined, { labelSelector: LABEL });
    const haveNames = new Set(have.items.map((s) => s.metadata.name));
    for (const s of want) {
      if (haveNames.has(s.metadata.name)) continue;
      try {
        await client.create(APISERVICES, undefined, s);
      } catch (err) {
        // a user's APIService of that name wins; a refused one is not retried
        if (!(err instanceof ApiError && (err.code === 409 || err.code === 422))) throw err;
      }
    }
    const wantNames = new Set(want.map((s) => s.metadata.name));
    for (const s of have.items) {
      if (wantNames.has(s.metadata.name)) continue;
      await client.delete(APISERVICES, undefined, s.metadata.name ?? "").catch(() => undefined);
    }
  }

  function schedule(delay: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      running = running.then(reconcile).catch(() => schedule(1000)).then(() => {
        if (timer) return;
        const w = waiters;
        waiters = [];
        for (const f of w) f();
      });
    }, delay);
  }

  const unsubscribe = kinds.onChange(() => schedule(opts.delayMs ?? 200));
  schedule(0);
  return {
    synced: () => (timer ? new Promise((resolve) => waiters.push(resolve)) : running),
    stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      for (const f of waiters) f();
      waiters = [];
    },
  };
}
