/** The decoded shapes of the etcd messages this server reads and writes (proto-loader: int64 as number, enums as names). */

export interface PbKeyValue {
  key: Buffer;
  create_revision: number;
  mod_revision: number;
  version: number;
  value: Buffer;
  lease: number;
}

export interface PbHeader {
  cluster_id: number;
  member_id: number;
  revision: number;
  raft_term: number;
}

export interface PbRangeRequest {
  key: Buffer;
  range_end: Buffer;
  limit: number;
  revision: number;
  sort_order: "NONE" | "ASCEND" | "DESCEND";
  sort_target: "KEY" | "VERSION" | "CREATE" | "MOD" | "VALUE";
  serializable: boolean;
  keys_only: boolean;
  count_only: boolean;
  min_mod_revision: number;
  max_mod_revision: number;
  min_create_revision: number;
  max_create_revision: number;
}

export interface PbRangeResponse {
  header: PbHeader;
  kvs: PbKeyValue[];
  more: boolean;
  count: number;
}

export interface PbPutRequest {
  key: Buffer;
  value: Buffer;
  lease: number;
  prev_kv: boolean;
  ignore_value: boolean;
  ignore_lease: boolean;
}

export interface PbDeleteRangeRequest {
  key: Buffer;
  range_end: Buffer;
  prev_kv: boolean;
}

export interface PbCompare {
  result: "EQUAL" | "GREATER" | "LESS" | "NOT_EQUAL";
  target: "VERSION" | "CREATE" | "MOD" | "VALUE" | "LEASE";
  key: Buffer;
  target_union?: "version" | "create_revision" | "mod_revision" | "value" | "lease";
  version?: number;
  create_revision?: number;
  mod_revision?: number;
  value?: Buffer;
  lease?: number;
  range_end: Buffer;
}

export interface PbRequestOp {
  request?: "request_range" | "request_put" | "request_delete_range" | "request_txn";
  request_range?: PbRangeRequest;
  request_put?: PbPutRequest;
  request_delete_range?: PbDeleteRangeRequest;
  request_txn?: PbTxnRequest;
}

export interface PbTxnRequest {
  compare: PbCompare[];
  success: PbRequestOp[];
  failure: PbRequestOp[];
}

export interface PbWatchCreateRequest {
  key: Buffer;
  range_end: Buffer;
  start_revision: number;
  progress_notify: boolean;
  filters: ("NOPUT" | "NODELETE")[];
  prev_kv: boolean;
  watch_id: number;
  fragment: boolean;
}

export interface PbWatchRequest {
  request_union?: "create_request" | "cancel_request" | "progress_request";
  create_request?: PbWatchCreateRequest;
  cancel_request?: { watch_id: number };
  progress_request?: Record<string, never>;
}

export interface PbEvent {
  type: "PUT" | "DELETE";
  kv: PbKeyValue;
  prev_kv?: PbKeyValue;
}

export interface PbWatchResponse {
  header: PbHeader;
  watch_id: number;
  created?: boolean;
  canceled?: boolean;
  compact_revision?: number;
  cancel_reason?: string;
  events?: PbEvent[];
}
