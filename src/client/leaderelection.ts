/**
 * Leader election through a coordination.k8s.io/v1 Lease, as client-go's
 * leaderelection: acquire when the lease is free or expired, renew every
 * retry period, give up leadership when renewals fail for renewDeadline.
 */
import type { KubeObject } from "../api/types.ts";
import { ApiError, type Client } from "./client.ts";
import { R } from "./resources.ts";

export interface LeaderElectionOptions {
  /** lease namespace; default kube-system */
  namespace?: string;
  /** lease name, e.g. kube-controller-manager */
  name: string;
  /** unique per candidate, e.g. "<host>_<uuid>" */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** called when this candidate becomes leader; the signal aborts when leadership is lost */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  onStoppedLeading?(): void;
}

export interface LeaderElector {
  isLeader(): boolean;
  /** stops campaigning; releases the lease when held */
  stop(): Promise<void>;
}

interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number;
}

interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/** metav1.MicroTime as the API serialises it. */
export function microTime(d = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Campaigns for the lease in the background. */
export function startLeaderElection(client: Client, opts: LeaderElectionOptions): LeaderElector {
  const ns = opts.namespace ?? "kube-system";
  const leaseMs = opts.leaseDurationMs ?? 15_000;
  const renewDeadline = opts.renewDeadlineMs ?? 10_000;
  const retry = opts.retryPeriodMs ?? 2_000;
  const stopAC = new AbortController();
  let leading: AbortController | undefined;
  let lastRenew = 0;
  // observed lease state: we judge expiry by our own clock since we last saw it change
  let observedRenew = "";
  let observedAt = 0;

  async function tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    let lease: Lease | undefined;
    try {
      lease = await client.get<Lease>(R.leases, ns, opts.name);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
    const spec: LeaseSpec = {
      holderIdentity: opts.identity,
      leaseDurationSeconds: Math.round(leaseMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    if (!lease) {
      await client.create<Lease>(R.leases, ns, {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: opts.name, namespace: ns },
        spec,
      });
      return true;
    }
    const cur = lease.spec ?? {};
    const renew = `${cur.holderIdentity}|${cur.renewTime}`;
    if (renew !== observedRenew) {
      observedRenew = renew;
      observedAt = now.getTime();
    }
    const held = cur.holderIdentity && cur.holderIdentity !== opts.identity;
    const expired = observedAt + (cur.leaseDurationSeconds ?? 15) * 1000 < now.getTime();
    if (held && !expired) return false;
    if (cur.holderIdentity === opts.identity) {
      spec.acquireTime = cur.acquireTime ?? spec.acquireTime;
      spec.leaseTransitions = cur.leaseTransitions ?? 0;
    } else {
      spec.leaseTransitions = (cur.leaseTransitions ?? 0) + 1;
    }
    // update carries the resourceVersion we read: a concurrent candidate loses with 409
    await client.update<Lease>(R.leases, ns, { ...lease, spec });
    return true;
  }

  async function loop(): Promise<void> {
    while (!stopAC.signal.aborted) {
      let ok = false;
      try {
        ok = await tryAcquireOrRenew();
      } catch {
        ok = false;
      }
      if (stopAC.signal.aborted) break;
      const now = Date.now();
      if (ok) {
        lastRenew = now;
        if (!leading) {
          leading = new AbortController();
          void Promise.resolve(opts.onStartedLeading(leading.signal)).catch((err) => console.error(`leader ${opts.name}:`, err));
        }
      } else if (leading && now - lastRenew > renewDeadline) {
        leading.abort();
        leading = undefined;
        opts.onStoppedLeading?.();
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, retry);
        stopAC.signal.addEventListener("abort", () => (clearTimeout(t), r()), { once: true });
      });
    }
  }
  const running = loop();

  return {
    isLeader: () => leading !== undefined,
    async stop() {
      stopAC.abort();
      await running;
      if (leading) {
        leading.abort();
        leading = undefined;
        opts.onStoppedLeading?.();
        try {
          const lease = await client.get<Lease>(R.leases, ns, opts.name);
          if (lease.spec?.holderIdentity === opts.identity) {
            await client.update<Lease>(R.leases, ns, {
              ...lease,
              spec: { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: microTime() },
            });
          }
        } catch {
          // best effort: the lease expires on its own
        }
      }
    },
  };
}
