/** Errors of the log beyond the contract's, with etcd's messages. */
import { CompactedError, ConflictError } from "../backend.ts";

/** A lease id that does not exist. */
export class LeaseNotFoundError extends Error {
  constructor(readonly lease: number) {
    super("etcdserver: requested lease not found");
  }
}

/** A put with ignore_value/ignore_lease on a missing key. */
export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super("etcdserver: key not found");
  }
}

/** A request etcd would refuse as malformed. */
export class InvalidRequestError extends Error {}

/** true for errors that fail one write without harming others in its batch */
export function isOpError(err: unknown): boolean {
  return (
    err instanceof ConflictError ||
    err instanceof LeaseNotFoundError ||
    err instanceof KeyNotFoundError ||
    err instanceof InvalidRequestError ||
    err instanceof CompactedError
  );
}
