/** The patch operations the REST layer needs; src/apiserver/patch provides the full ones. */
import type { KindDef, SchemaRegistry } from "../../api/kind.ts";
import type { KubeObject, ManagedFieldsEntry } from "../../api/types.ts";

export type PatchKind = "json" | "merge" | "strategic" | "apply";

export interface PatchInput {
  kind: KindDef;
  schemas: SchemaRegistry;
  /** the current object (absent only for apply creating the object) */
  current: KubeObject | undefined;
  /** the parsed patch document */
  patch: unknown;
  /** apply only */
  fieldManager?: string;
  force?: boolean;
  subresource?: string;
}

/** What an apply produces: the object and its new managedFields. */
export interface PatchOutput {
  object: KubeObject;
  /** set by apply: the managedFields to store (Update bookkeeping is the REST layer's) */
  managedFields?: ManagedFieldsEntry[];
}

/** One function per patch type; each throws ApiStatusError (400/409/422) on bad input. */
export type PatchFunctions = Record<PatchKind, ((input: PatchInput) => PatchOutput) | undefined>;
