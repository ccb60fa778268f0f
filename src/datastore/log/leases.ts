/**
 * Real leases: random ids, TTLs persisted as absolute expiry times (so a
 * restart does not reset them), keep-alive, revoke, and expiry that deletes
 * the attached keys.
 */
import { randomInt } from "node:crypto";
import type { Batcher } from "./batcher.ts";
import { LeaseNotFoundError } from "./errors.ts";
import { tombstoneRow } from "./txn.ts";
import type { Store } from "./store.ts";

/** What TimeToLive reports. */
export interface LeaseStatus {
  id: number;
  /** seconds left, -1 when the lease does not exist */
  ttl: number;
  grantedTtl: number;
  keys: string[];
}

/** etcd's lower bound on TTLs with default election settings */
const MIN_TTL = 1;

/** tracks lease expiry times in memory, backed by kine_lease rows */
export class Leases {
  private expiry = new Map<number, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private store: Store,
    private batcher: Batcher,
  ) {}

  async start(): Promise<void> {
    for (const l of await this.store.leases()) this.expiry.set(l.id, l.expiresAt);
    this.timer = setInterval(() => void this.expire().catch(() => undefined), 500);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** creates a lease (id 0 = pick one); returns its id and TTL */
  async grant(ttl: number, id = 0): Promise<{ id: number; ttl: number }> {
    const leaseId = id || randomInt(1, 2 ** 47);
    const seconds = Math.max(MIN_TTL, Math.floor(ttl));
    const expiresAt = Date.now() + seconds * 1000;
    await this.batcher.submit(async (tx) => {
      if (id && (await tx.getLease(id))) throw new LeaseExistsError(id);
      await tx.putLease({ id: leaseId, ttl: seconds, expiresAt });
    });
    this.expiry.set(leaseId, expiresAt);
    return { id: leaseId, ttl: seconds };
  }

  /** extends a lease by its TTL; returns the TTL, or 0 when the lease does not exist */
  async keepAlive(id: number): Promise<number> {
    return this.batcher.submit(async (tx) => {
      const lease = await tx.getLease(id);
      if (!lease) return 0;
      const expiresAt = Date.now() + lease.ttl * 1000;
      await tx.putLease({ ...lease, expiresAt });
      this.expiry.set(id, expiresAt);
      return lease.ttl;
    });
  }

  /** deletes a lease and every key attached to it; returns the revision of the last delete (0 if none) */
  async revoke(id: number, onlyIfExpired = false): Promise<number> {
    // one revision per deleted key, unlike etcd: the API server's watch drops a second event at the
    // revision it sent last, and expiring event leases delete many keys at once
    const revision = await this.batcher.submit(async (tx) => {
      const lease = await tx.getLease(id);
      if (!lease) throw new LeaseNotFoundError(id);
      // another server may have kept it alive since this one looked
      if (onlyIfExpired && lease.expiresAt > Date.now()) {
        this.expiry.set(id, lease.expiresAt);
        return -1;
      }
      let rev = 0;
      for (const row of await tx.leaseKeys(id)) rev = await tx.insert(tombstoneRow(row));
      await tx.deleteLease(id);
      return rev;
    });
    if (revision >= 0) this.expiry.delete(id);
    return Math.max(revision, 0);
  }

  /** the lease's remaining time and, when asked, its keys */
  async timeToLive(id: number, withKeys: boolean): Promise<LeaseStatus> {
    return this.batcher.submit(async (tx) => {
      const lease = await tx.getLease(id);
      if (!lease) return { id, ttl: -1, grantedTtl: 0, keys: [] };
      const keys = withKeys ? (await tx.leaseKeys(id)).map((r) => r.name) : [];
      const ttl = Math.max(0, Math.ceil((lease.expiresAt - Date.now()) / 1000));
      return { id, ttl, grantedTtl: lease.ttl, keys };
    });
  }

  /** ids of every lease */
  async list(): Promise<number[]> {
    return (await this.store.leases()).map((l) => l.id);
  }

  private async expire(): Promise<void> {
    const now = Date.now();
    for (const [id, at] of this.expiry) {
      if (at > now) continue;
      try {
        await this.revoke(id, true);
      } catch (err) {
        if (err instanceof LeaseNotFoundError) this.expiry.delete(id);
        else throw err;
      }
    }
  }
}

/** A grant with an id that is taken. */
export class LeaseExistsError extends LeaseNotFoundError {
  constructor(lease: number) {
    super(lease);
    this.message = "etcdserver: lease already exists";
  }
}
