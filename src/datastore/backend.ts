/**
 * The in-process datastore interface (kine's Backend). The API server talks to
 * this with no gRPC hop; the etcd v3 gRPC server is a thin layer over it too.
 * Keys are strings (Kubernetes keys are /registry/...); values are raw bytes.
 */

/** One key at one revision, as etcd's mvccpb.KeyValue. */
export interface KeyValue {
  key: string;
  value: Buffer;
  /** revision of the row that created this incarnation of the key */
  createRevision: number;
  /** revision of the row that holds this value */
  modRevision: number;
  /** number of writes since the key was created (1 on create) */
  version: number;
  /** lease id, 0 for none */
  lease: number;
}

/** One change seen by a watcher. */
export interface WatchEvent {
  type: "put" | "delete";
  /** for a delete: the key with modRevision = the delete's revision and an empty value */
  kv: KeyValue;
  /** the value before this change (absent on create) */
  prevKv?: KeyValue;
}

export interface ListOptions {
  /** exclusive end; absent = prefix list of `start` when `prefix` is set, else single key */
  end?: string;
  /** read at this revision (0 = current) */
  revision?: number;
  /** at most this many keys; `more` tells whether there are others */
  limit?: number;
  keysOnly?: boolean;
}

export interface ListResult {
  /** the revision the list was read at */
  revision: number;
  kvs: KeyValue[];
  more: boolean;
  /** total number of keys in the range (not limited) */
  count: number;
}

export interface WatchOptions {
  /** exclusive end of the key range; absent = the single key `start` */
  end?: string;
  /** first revision to deliver; 0 = changes after now */
  startRevision?: number;
  signal: AbortSignal;
}

/** Thrown by create when the key exists and by update/delete when the guard fails. */
export class ConflictError extends Error {
  /** the key's current value, when it has one */
  constructor(message: string, readonly current?: KeyValue) {
    super(message);
  }
}

/** Thrown when a read or watch asks for a revision that compaction removed. */
export class CompactedError extends Error {
  constructor(readonly compactRevision: number, readonly currentRevision: number) {
    super("mvcc: required revision has been compacted");
  }
}

/** Thrown when a read asks for a revision after the current one. */
export class FutureRevisionError extends Error {
  constructor() {
    super("mvcc: required revision is a future revision");
  }
}

/** The datastore as the API server sees it. */
export interface Backend {
  /** opens the database, creates schema, starts background loops */
  start(): Promise<void>;
  close(): Promise<void>;
  currentRevision(): Promise<number>;
  /** the newest compact revision */
  compactRevision(): Promise<number>;
  get(key: string, revision?: number): Promise<{ revision: number; kv?: KeyValue }>;
  /** keys in [start, end) (or the single key start when end is absent), sorted by key */
  list(start: string, opts?: ListOptions): Promise<ListResult>;
  count(start: string, end: string, revision?: number): Promise<{ revision: number; count: number }>;
  /** creates the key; throws ConflictError if it exists. Returns the new revision. */
  create(key: string, value: Buffer, lease?: number): Promise<number>;
  /**
   * replaces the value if the key's modRevision is `expectedModRevision`;
   * throws ConflictError otherwise (with the current value when it exists).
   */
  update(key: string, value: Buffer, expectedModRevision: number, lease?: number): Promise<KeyValue>;
  /**
   * deletes the key (if `expectedModRevision` is given, only at that modRevision);
   * throws ConflictError on a failed guard or missing key. Returns the deleted value and the delete's revision.
   */
  delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }>;
  /**
   * delivers batches of events in revision order, starting at startRevision.
   * Throws CompactedError (synchronously through the promise) if startRevision is compacted.
   * The iterator ends when the signal aborts.
   */
  watch(start: string, opts: WatchOptions): Promise<AsyncIterable<WatchEvent[]>>;
  /** removes history at and below `revision` (keeping the newest value of each live key) */
  compact(revision: number): Promise<number>;
  /** database size in bytes, when the driver knows it */
  dbSize(): Promise<number>;
}
