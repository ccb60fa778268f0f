/** The patch functions and managedFields upkeep of src/apiserver/patch, adapted to the REST layer. */
import type { KindDef, SchemaRegistry } from "../../api/kind.ts";
import type { KubeObject, ManagedFieldsEntry } from "../../api/types.ts";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, serverSideApply, updateManagedFields } from "../patch/mod.ts";
import { apiVersionOf } from "../kinds.ts";
import { fieldsOfChange, recordUpdate } from "../managedfields.ts";
import type { PatchFunctions } from "./patchtypes.ts";

function ignored(kind: KindDef, subresource: string | undefined): string[][] {
  if (!kind.statusSubresource) return [];
  return subresource === "status" ? [["spec"], ["metadata"]] : subresource ? [] : [["status"]];
}

/** JSON, merge, strategic and apply patches from src/apiserver/patch. */
export const standardPatch: PatchFunctions = {
  json: (i) => ({ object: applyJsonPatch(i.current, i.patch) as KubeObject }),
  merge: (i) => ({ object: applyMergePatch(i.current, i.patch) as KubeObject }),
  strategic: (i) => ({ object: applyStrategicMergePatch(i.current, i.patch, { schemas: i.schemas, rootRef: i.kind.schemaRef }) as KubeObject }),
  apply: (i) => {
    const res = serverSideApply(i.current, i.patch as KubeObject, {
      manager: i.fieldManager ?? "",
      schemas: i.schemas,
      rootRef: i.kind.schemaRef in i.schemas ? i.kind.schemaRef : undefined,
      apiVersion: apiVersionOf(i.kind),
      subresource: i.subresource || undefined,
      ignoredFields: ignored(i.kind, i.subresource),
      force: i.force,
    });
    return { object: res.object, managedFields: res.object.metadata.managedFields };
  },
};

export interface ManagedFieldsInput {
  kind: KindDef;
  schemas: SchemaRegistry;
  manager: string;
  subresource: string;
  old: KubeObject | undefined;
  next: KubeObject;
}

/** The managedFields after an Update by `manager` (structured ownership, falling back to a simple diff). */
export function updatedManagedFields(input: ManagedFieldsInput): ManagedFieldsEntry[] | undefined {
  const { kind, schemas } = input;
  try {
    const out = updateManagedFields(input.old, input.next, {
      manager: input.manager,
      schemas,
      rootRef: kind.schemaRef in schemas ? kind.schemaRef : undefined,
      apiVersion: apiVersionOf(kind),
      subresource: input.subresource || undefined,
      ignoredFields: ignored(kind, input.subresource),
    });
    return out.metadata.managedFields;
  } catch {
    return recordUpdate(input.old?.metadata.managedFields, {
      manager: input.manager,
      apiVersion: apiVersionOf(kind),
      subresource: input.subresource,
      changedFields: fieldsOfChange({ obj: input.next, old: input.old, skipStatus: false }),
    });
  }
}
