/** etcd's gRPC errors as the datastore's own, so the API server handles them the same as kine's. */
import { FutureRevisionError } from "../backend.ts";
import { KeyNotFoundError, LeaseNotFoundError } from "../log/errors.ts";
import { LeaseExistsError } from "../log/leases.ts";
import { GrpcCallError } from "./grpc.ts";

/** true for etcd's "required revision has been compacted" (the caller needs the compact revision to build a CompactedError) */
export function isCompacted(err: unknown): boolean {
  return err instanceof GrpcCallError && err.message.includes("required revision has been compacted");
}

/** What a failed call was about, for the errors that name it. */
export interface ErrorContext {
  key?: string;
  lease?: number;
}

/** maps an etcd error to the datastore error the API server expects; others get an "etcd:" prefix */
export function fromEtcdError(err: unknown, ctx: ErrorContext = {}): Error {
  if (!(err instanceof GrpcCallError)) return err instanceof Error ? err : new Error(String(err));
  const msg = err.message;
  if (msg.includes("required revision is a future revision")) return new FutureRevisionError();
  if (msg.includes("requested lease not found")) return new LeaseNotFoundError(ctx.lease ?? 0);
  if (msg.includes("lease already exists")) return new LeaseExistsError(ctx.lease ?? 0);
  if (msg.includes("etcdserver: key not found")) return new KeyNotFoundError(ctx.key ?? "");
  const what = ctx.key !== undefined ? ` (key ${JSON.stringify(ctx.key)})` : "";
  return new Error(`etcd: ${msg}${what}`, { cause: err });
}
