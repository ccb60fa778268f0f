/** etcd's gRPC errors: the codes and messages etcd clients recognise. */
import { status, type ServiceError, Metadata } from "@grpc/grpc-js";
import { CompactedError, FutureRevisionError } from "../backend.ts";
import { InvalidRequestError, KeyNotFoundError, LeaseNotFoundError } from "../log/errors.ts";
import { LeaseExistsError } from "../log/leases.ts";

/** An error with a gRPC status code and etcd's message. */
export class GrpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

export const errRequestTooLarge = () => new GrpcError(status.INVALID_ARGUMENT, "etcdserver: request is too large");
export const errEmptyKey = () => new GrpcError(status.INVALID_ARGUMENT, "etcdserver: key is not provided");
export const errTooManyOps = () => new GrpcError(status.INVALID_ARGUMENT, "etcdserver: too many operations in txn request");
export const errDuplicateKey = () => new GrpcError(status.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");

/** maps a datastore error to the ServiceError etcd would send */
export function toServiceError(err: unknown): ServiceError {
  const [code, message] = classify(err);
  const e = new Error(message) as ServiceError;
  e.code = code;
  e.details = message;
  e.metadata = new Metadata();
  return e;
}

function classify(err: unknown): [status, string] {
  if (err instanceof GrpcError) return [err.code, err.message];
  if (err instanceof CompactedError) return [status.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"];
  if (err instanceof FutureRevisionError) return [status.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"];
  if (err instanceof LeaseExistsError) return [status.FAILED_PRECONDITION, "etcdserver: lease already exists"];
  if (err instanceof LeaseNotFoundError) return [status.NOT_FOUND, "etcdserver: requested lease not found"];
  if (err instanceof KeyNotFoundError) return [status.INVALID_ARGUMENT, "etcdserver: key not found"];
  if (err instanceof InvalidRequestError) return [status.INVALID_ARGUMENT, err.message];
  return [status.UNKNOWN, err instanceof Error ? err.message : String(err)];
}
