/** The Backend contract plus what the etcd API needs beyond it. */
import type { Backend, KeyValue } from "../backend.ts";
import type { LeaseStatus } from "./leases.ts";
import type { TxnRequest, TxnResult } from "./txn.ts";

/** Options of an etcd-style put. */
export interface PutOptions {
  lease?: number;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

/** The datastore with etcd's full write and lease surface. */
export interface KineBackend extends Backend {
  /** creates or replaces the key; returns the new revision and the replaced value */
  put(key: string, value: Buffer, opts?: PutOptions): Promise<{ revision: number; prevKv?: KeyValue }>;
  /** deletes every key in [start, end) ("\0" = to the last key; absent = the single key) */
  deleteRange(start: string, end?: string): Promise<{ revision: number; deleted: KeyValue[] }>;
  /** applies an etcd txn atomically; revision is the store's revision after it */
  txn(req: TxnRequest): Promise<TxnResult>;
  leaseGrant(ttl: number, id?: number): Promise<{ id: number; ttl: number }>;
  /** returns the revision after the attached keys were deleted */
  leaseRevoke(id: number): Promise<number>;
  /** returns the TTL, 0 when the lease does not exist */
  leaseKeepAlive(id: number): Promise<number>;
  leaseTimeToLive(id: number, keys: boolean): Promise<LeaseStatus>;
  leaseList(): Promise<number[]>;
}
