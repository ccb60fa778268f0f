/** etcd's Lease service over the backend's persisted leases. */
import type { DuplexCall } from "./grpc.ts";
import type { KineBackend } from "../log/kine-backend.ts";
import { header } from "./convert.ts";
import { toStatus } from "./errors.ts";

/** answers LeaseGrant */
export async function grant(be: KineBackend, req: { TTL: number; ID: number }) {
  const l = await be.leaseGrant(req.TTL, req.ID);
  return { header: header(await be.currentRevision()), ID: l.id, TTL: l.ttl, error: "" };
}

/** answers LeaseRevoke */
export async function revoke(be: KineBackend, req: { ID: number }) {
  return { header: header(await be.leaseRevoke(req.ID)) };
}

/** answers LeaseTimeToLive */
export async function timeToLive(be: KineBackend, req: { ID: number; keys: boolean }) {
  const s = await be.leaseTimeToLive(req.ID, req.keys);
  return { header: header(await be.currentRevision()), ID: s.id, TTL: s.ttl, grantedTTL: s.grantedTtl, keys: s.keys.map((k) => Buffer.from(k)) };
}

/** answers LeaseLeases */
export async function leases(be: KineBackend) {
  const ids = await be.leaseList();
  return { header: header(await be.currentRevision()), leases: ids.map((ID) => ({ ID })) };
}

/** serves one LeaseKeepAlive stream: every request renews its lease and is answered with the TTL (0 = gone) */
export function serveKeepAlive(be: KineBackend, call: DuplexCall<{ ID: number }, unknown>): void {
  call.on("data", (req: { ID: number }) => {
    void (async () => {
      const ttl = await be.leaseKeepAlive(req.ID);
      call.write({ header: header(await be.currentRevision()), ID: req.ID, TTL: ttl });
    })().catch((err: unknown) => call.destroy(toStatus(err)));
  });
  call.on("end", () => call.end());
}
