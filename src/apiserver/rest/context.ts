/** What every REST handler is given: the stores, the kinds and the request it serves. */
import type { Backend } from "../../datastore/backend.ts";
import type { ClusterSettings, KindDef, SchemaRegistry } from "../../api/kind.ts";
import type { KubeObject, Status, UserInfo } from "../../api/types.ts";
import type { KindRegistry } from "../kinds.ts";
import type { ProtobufDecoder } from "../negotiation.ts";
import type { ApiRequest, ApiResponse } from "../request.ts";
import type { ResourceRequestInfo } from "../requestinfo.ts";
import type { CacheSet } from "../storage/caches.ts";
import type { PatchFunctions } from "./patchtypes.ts";
import type { LeaseManager } from "../storage/leases.ts";

/** Server-wide state the REST handlers share. */
export interface RestContext {
  backend: Backend;
  kinds: KindRegistry;
  schemas: SchemaRegistry;
  cluster: ClusterSettings;
  caches: CacheSet;
  patch: PatchFunctions;
  protobuf?: ProtobufDecoder;
  /** how often watches with allowWatchBookmarks get a BOOKMARK */
  bookmarkIntervalMs: number;
  /** datastore leases for objects with a time to live (events) */
  leases: LeaseManager;
  /** seconds events live (k3s --event-ttl, default 1 h) */
  eventTTLSeconds: number;
  /** admission beyond the built-in steps (webhooks) */
  admission?: AdmissionHook;
}

/** One write as external admission sees it. */
export interface AdmissionAttributes {
  operation: "CREATE" | "UPDATE" | "DELETE";
  kind: KindDef;
  subresource: string;
  namespace: string;
  name: string;
  /** the new object (CREATE, UPDATE); mutate changes it in place */
  object?: KubeObject;
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

/** External admission (webhooks): mutate runs after defaulting, validate after validation, both before storage; they throw to refuse. */
export interface AdmissionHook {
  mutate(attrs: AdmissionAttributes): Promise<void>;
  validate(attrs: AdmissionAttributes): Promise<void>;
}

/** One resource request being served. */
export interface Call {
  req: ApiRequest;
  info: ResourceRequestInfo;
  kind: KindDef;
  ctx: RestContext;
}

/** A whole-object answer, before content negotiation. */
export interface Reply {
  status: number;
  object: KubeObject | Status | { kind: string; apiVersion: string; metadata: object; items: KubeObject[] };
  /** Warning headers (text only; the 299 framing is added on the way out) */
  warnings?: string[];
  /** the answer is already encoded (watch streams, hooks) */
  raw?: ApiResponse;
}
