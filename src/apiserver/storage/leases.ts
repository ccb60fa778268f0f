/**
 * Time-to-live for objects that expire on their own (events: --event-ttl, 1 h).
 * Like kube-apiserver's lease manager, one datastore lease is shared by the
 * writes of a short window instead of one lease per object.
 */
import type { Backend } from "../../datastore/backend.ts";

interface LeaseGranting {
  leaseGrant(ttl: number, id?: number): Promise<{ id: number; ttl: number }>;
}

function grants(backend: Backend): backend is Backend & LeaseGranting {
  return typeof (backend as Partial<LeaseGranting>).leaseGrant === "function";
}

/** Hands out lease ids whose expiry is at least `ttlSeconds` from now. */
export class LeaseManager {
  #backend: Backend;
  #reuseSeconds: number;
  #current: { id: number; expires: number } | undefined;

  constructor(backend: Backend, opts: { reuseSeconds?: number } = {}) {
    this.#backend = backend;
    this.#reuseSeconds = opts.reuseSeconds ?? 60;
  }

  /** a lease id living at least ttlSeconds, or 0 when the datastore has no leases */
  async leaseFor(ttlSeconds: number): Promise<number> {
    if (!grants(this.#backend)) return 0;
    const now = Date.now() / 1000;
    // upstream reuses a lease for 5% of the TTL, at most a minute
    const reuse = Math.min(this.#reuseSeconds, Math.floor(ttlSeconds * 0.05));
    const c = this.#current;
    if (c && c.expires - now >= ttlSeconds && c.expires - now <= ttlSeconds + reuse) return c.id;
    const ttl = ttlSeconds + reuse;
    const granted = await this.#backend.leaseGrant(ttl);
    this.#current = { id: granted.id, expires: now + granted.ttl };
    return granted.id;
  }
}
