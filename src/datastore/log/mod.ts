/** The revision log: kine's Backend semantics over any Store (group commit, watch fan-out, leases, compaction). */
export { LogBackend, type LogBackendOptions } from "./log-backend.ts";
export type { KineBackend, PutOptions } from "./kine-backend.ts";
export type { LeaseStatus } from "./leases.ts";
export type { Compare, CompareResult, CompareTarget, TxnOp, TxnOpResult, TxnRequest, TxnResult } from "./txn.ts";
export type { LeaseRow, NewRow, Row, Store, StoreListOptions, StoreTx, SyncOptions } from "./store.ts";
export { LeaseNotFoundError, KeyNotFoundError } from "./errors.ts";
