/** etcd's gRPC errors: the codes and messages etcd clients recognise. */
import { Status, type StatusError } from "./grpc.ts";
import { CompactedError, FutureRevisionError } from "../backend.ts";
import { InvalidRequestError, KeyNotFoundError, LeaseNotFoundError } from "../log/errors.ts";
import { LeaseExistsError } from "../log/leases.ts";

/** An error with a gRPC status code and etcd's message. */
export class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const errRequestTooLarge = () => new GrpcError(Status.INVALID_ARGUMENT, "etcdserver: request is too large");
export const errEmptyKey = () => new GrpcError(Status.INVALID_ARGUMENT, "etcdserver: key is not provided");
export const errTooManyOps = () => new GrpcError(Status.INVALID_ARGUMENT, "etcdserver: too many operations in txn request");
export const errDuplicateKey = () => new GrpcError(Status.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");

/** maps a datastore error to the status etcd would send */
export function toStatus(err: unknown): StatusError {
  const [code, message] = classify(err);
  return { code, message };
}

function isStatusError(err: unknown): err is StatusError {
  return typeof err === "object" && err !== null && !(err instanceof Error) && "code" in err && "message" in err;
}

function classify(err: unknown): [number, string] {
  if (isStatusError(err)) return [err.code, err.message];
  if (err instanceof GrpcError) return [err.code, err.message];
  if (err instanceof CompactedError) return [Status.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"];
  if (err instanceof FutureRevisionError) return [Status.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"];
  if (err instanceof LeaseExistsError) return [Status.FAILED_PRECONDITION, "etcdserver: lease already exists"];
  if (err instanceof LeaseNotFoundError) return [Status.NOT_FOUND, "etcdserver: requested lease not found"];
  if (err instanceof KeyNotFoundError) return [Status.INVALID_ARGUMENT, "etcdserver: key not found"];
  if (err instanceof InvalidRequestError) return [Status.INVALID_ARGUMENT, err.message];
  return [Status.UNKNOWN, err instanceof Error ? err.message : String(err)];
}
