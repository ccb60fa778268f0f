/**
 * A resource kind as data: one schema from which validation, OpenAPI,
 * protobuf decoding, strategic merge and server-side apply are all derived,
 * plus the kind's defaults, validation rules, strategy and printer columns.
 */
import type { KubeObject, UserInfo } from "./types.ts";

/**
 * One field's schema: a JSON-schema subset with Kubernetes' extensions.
 * `ref` names an entry of the shared definitions (see SchemaRegistry).
 */
export interface FieldSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  /** int32, int64, date-time, byte, int-or-string, quantity, double */
  format?: string;
  description?: string;
  properties?: Record<string, FieldSchema>;
  /** schema of a map's values (labels: { type: "string" }) */
  additionalProperties?: FieldSchema | boolean;
  items?: FieldSchema;
  required?: string[];
  enum?: string[];
  /** the definition name, e.g. "io.k8s.api.core.v1.PodSpec" */
  ref?: string;
  /** field number in the parent protobuf message */
  protobuf?: number;
  /** x-kubernetes-patch-strategy: "merge", "replace", "retainKeys", "merge,retainKeys" */
  patchStrategy?: string;
  /** x-kubernetes-patch-merge-key */
  patchMergeKey?: string;
  /** x-kubernetes-list-type */
  listType?: "atomic" | "set" | "map";
  /** x-kubernetes-list-map-keys */
  listMapKeys?: string[];
  /** x-kubernetes-map-type */
  mapType?: "atomic" | "granular";
  /** x-kubernetes-int-or-string */
  intOrString?: boolean;
  /** x-kubernetes-preserve-unknown-fields */
  preserveUnknownFields?: boolean;
  /** x-kubernetes-embedded-resource */
  embeddedResource?: boolean;
  nullable?: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
}

/** Named schemas shared between kinds (ObjectMeta, PodSpec, ...). */
export type SchemaRegistry = Record<string, FieldSchema>;

/** A validation failure at one field, worded like upstream. */
export interface FieldError {
  /** "FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported", "FieldValueDuplicate", "FieldValueForbidden", "FieldValueTooLong" */
  type: string;
  /** JSON path as upstream prints it: spec.template.spec.containers[0].image */
  field: string;
  /** the message without the field prefix, e.g. "Required value" */
  message: string;
}

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format?: string;
  description: string;
  /** 0 = always, 1 = -o wide only */
  priority: number;
}

/** What a strategy hook may need besides the objects. */
export interface StrategyContext {
  user: UserInfo;
  /** "" for the main resource, else "status", "scale", ... */
  subresource: string;
  /** the server's settings a kind may depend on (service CIDR, cluster domain, ...) */
  cluster: ClusterSettings;
  /** Service ClusterIP/NodePort allocation; absent = the process-wide one for `cluster` (src/api/allocators) */
  serviceAllocation?: ServiceAllocation;
}

/** Allocation state the Service strategy claims from (see src/api/allocators/services.ts). */
export interface ServiceAllocation {
  /** fills and claims clusterIPs/nodePorts of svc (old: what it held before an update); throws on refusal */
  allocate(svc: KubeObject, old?: KubeObject): void | Promise<void>;
  /** frees what svc holds and keep does not */
  release(svc: KubeObject, keep?: KubeObject): void | Promise<void>;
}

/** Context of KindDef.release: keep is the object whose holdings must stay. */
export interface ReleaseContext extends StrategyContext {
  keep?: KubeObject;
}

export interface ClusterSettings {
  serviceCIDR: string;
  clusterCIDR: string;
  serviceNodePortRange: [number, number];
  clusterDNS: string;
  clusterDomain: string;
}

export interface ScaleSubresource {
  /** JSON paths like ".spec.replicas" as CRDs give them */
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface KindDef {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** plural */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** default: create, delete, deletecollection, get, list, patch, update, watch */
  verbs?: string[];
  /** the definition name of the kind's top-level schema in the registry */
  schemaRef: string;
  /** has a /status subresource that splits writes (spec vs status) */
  statusSubresource?: boolean;
  scale?: ScaleSubresource;
  /** other subresources served by hooks: "log", "exec", "binding", "eviction", "token", ... */
  extraSubresources?: string[];
  /** stored JSON is kept in this version when several are served (CRDs); absent = this one */
  storageVersion?: string;
  /**
   * when this version shares storage with another (events.k8s.io/v1 Events are stored as core/v1,
   * autoscaling/v1 HPAs as v2): turns an object of this version into the stored form before writing
   */
  toStorage?(obj: KubeObject): KubeObject;
  /** the reverse of toStorage: a stored object as this version serves it (after every read) */
  fromStorage?(obj: KubeObject): KubeObject;
  /** fills defaults in place, on create and update, as upstream's defaulting */
  defaults?(obj: KubeObject): void;
  /** upstream's validation; old is set on update */
  validate?(obj: KubeObject, old: KubeObject | undefined, ctx: StrategyContext): FieldError[];
  /** strategy hook before create (clear status, allocate, ...) */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void | Promise<void>;
  /** strategy hook before update */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void | Promise<void>;
  /**
   * frees what obj holds (allocated IPs/ports) and ctx.keep does not. The REST core calls it
   * after a delete (obj = deleted), after a failed create (obj = attempted), after a failed
   * update (obj = attempted, keep = old) and after a successful update (obj = old, keep = new).
   */
  release?(obj: KubeObject, ctx: ReleaseContext): void | Promise<void>;
  /** server-side printing (kubectl get columns) */
  columns?: PrinterColumn[];
  row?(obj: KubeObject): unknown[];
  /** extra field-selector fields beyond metadata.name/metadata.namespace */
  selectableFields?(obj: KubeObject): Record<string, string>;
}
