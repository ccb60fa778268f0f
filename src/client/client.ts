/**
 * The one client interface every component uses to reach the API server.
 * Two transports implement it: in-process (no HTTP, no TLS, a fixed identity)
 * and HTTPS (a kubeconfig). Components must work unchanged over either.
 */
import type { KubeList, KubeObject, Status, WatchEventObject } from "../api/types.ts";

/** Where a resource lives in the API. */
export interface ResourceRef {
  /** "" for the core group */
  group: string;
  version: string;
  /** plural, lower case: "pods", "deployments" */
  resource: string;
  namespaced: boolean;
}

/** A raw request, for paths the typed helpers do not cover. */
export interface RawRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** absolute path, e.g. /api/v1/namespaces/default/pods */
  path: string;
  query?: Record<string, string | string[] | undefined>;
  /** serialised as JSON unless contentType says otherwise and it is a string/Buffer */
  body?: unknown;
  contentType?: string;
  accept?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type PatchType = "merge" | "strategic" | "json" | "apply";

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface WatchQuery extends ListQuery {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  force?: boolean;
  /** e.g. "status", "scale", "binding", "eviction" */
  subresource?: string;
}

export interface DeleteOptions {
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** A failure answered by the API server, carrying its Status. */
export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? `request failed with ${status.code}`);
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

/** A running watch: events arrive on the iterator until stop() or the server ends it. */
export interface WatchStream<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEventObject<T>> {
  stop(): void;
}

export interface Client {
  /** the user name this client authenticates as (for events and field managers) */
  readonly identity: string;
  raw(req: RawRequest): Promise<RawResponse>;
  /** a raw request whose response body is streamed (logs, watch) */
  stream(req: RawRequest, signal: AbortSignal): Promise<{ status: number; headers: Record<string, string>; body: AsyncIterable<Buffer> }>;
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T>;
  list<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, query?: ListQuery): Promise<KubeList<T>>;
  create<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T>;
  update<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T>;
  patch<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: WriteOptions): Promise<T>;
  delete(ref: ResourceRef, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KubeObject | Status>;
  watch<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, query?: WatchQuery): Promise<WatchStream<T>>;
}
