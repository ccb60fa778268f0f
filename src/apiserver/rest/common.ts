/** Helpers the verb handlers share: keys, reads, predicates, request options. */
import type { KindDef } from "../../api/kind.ts";
import type { KubeObject } from "../../api/types.ts";
import { badRequest, notFound, type GroupResource } from "../errors.ts";
import { apiVersionOf, storageKey, storagePrefix } from "../kinds.ts";
import { decodeBody } from "../negotiation.ts";
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector, type FieldSelector, type LabelSelector } from "../selectors.ts";
import { decodeStored } from "../storage/codec.ts";
import type { Call } from "./context.ts";

/** The group/resource errors name. */
export function groupResource(call: Call): GroupResource {
  return { group: call.kind.group, resource: call.kind.resource };
}

/** The storage key of the named object of this call. */
export function keyOf(call: Call, name: string): string {
  return storageKey(call.kind, { namespace: call.info.namespace, name });
}

/** The key prefix a list of this call covers (one namespace or all). */
export function listPrefix(call: Call): string {
  const base = `${storagePrefix(call.kind)}/`;
  return call.kind.namespaced && call.info.namespace ? `${base}${call.info.namespace}/` : base;
}

/** Conversions of shared (cached, immutable) stored objects, so fan-out converts each once. */
const conversions = new WeakMap<KindDef, WeakMap<KubeObject, KubeObject>>();

/**
 * A stored object as this version serves it: KindDef.fromStorage when the
 * version converts, else only apiVersion/kind (several versions share one storage).
 */
export function served(kind: KindDef, obj: KubeObject): KubeObject {
  if (kind.fromStorage) {
    let memo = conversions.get(kind);
    if (!memo) conversions.set(kind, (memo = new WeakMap()));
    const hit = memo.get(obj);
    if (hit) return hit;
    const converted = kind.fromStorage(obj);
    const out = converted.apiVersion === apiVersionOf(kind) && converted.kind === kind.kind ? converted : { ...converted, apiVersion: apiVersionOf(kind), kind: kind.kind };
    memo.set(obj, out);
    return out;
  }
  if (obj.apiVersion === apiVersionOf(kind) && obj.kind === kind.kind) return obj;
  return { ...obj, apiVersion: apiVersionOf(kind), kind: kind.kind };
}

/** An object of this version in the form kept in storage (KindDef.toStorage, or the storage version's apiVersion). */
export function stored(kind: KindDef, obj: KubeObject): KubeObject {
  if (kind.toStorage) return kind.toStorage(obj);
  if (kind.storageVersion && kind.storageVersion !== kind.version) {
    return { ...obj, apiVersion: apiVersionOf({ group: kind.group, version: kind.storageVersion }) };
  }
  return obj;
}

/** Reads the object from the datastore (consistent) as this version serves it, or throws NotFound. */
export async function readCurrent(call: Call, name: string): Promise<{ obj: KubeObject; modRevision: number }> {
  const res = await call.ctx.backend.get(keyOf(call, name));
  if (!res.kv) throw notFound(groupResource(call), name);
  return { obj: served(call.kind, decodeStored(res.kv)), modRevision: res.kv.modRevision };
}

/** A compiled label + field selector. */
export interface Predicate {
  labels: LabelSelector;
  fields: FieldSelector;
  empty: boolean;
  matches(obj: KubeObject): boolean;
}

function allowedFields(kind: KindDef): (field: string) => boolean {
  let extra: string[] | undefined;
  return (field) => {
    if (field === "metadata.name" || field === "metadata.namespace") return true;
    if (!kind.selectableFields) return false;
    if (extra === undefined) {
      try {
        extra = Object.keys(kind.selectableFields({ metadata: {} }));
      } catch {
        return true;
      }
    }
    return extra.includes(field);
  };
}

/** The object's selectable field values. */
export function fieldValues(kind: KindDef, obj: KubeObject): Record<string, string> {
  const base: Record<string, string> = { "metadata.name": obj.metadata.name ?? "" };
  if (kind.namespaced) base["metadata.namespace"] = obj.metadata.namespace ?? "";
  return kind.selectableFields ? { ...base, ...kind.selectableFields(obj) } : base;
}

/** Compiles labelSelector/fieldSelector of the query (and the item name of a single-object watch). */
export function predicateOf(call: Call): Predicate {
  const q = call.req.query;
  const labels = parseLabelSelector(q.get("labelSelector") ?? "");
  const fields = parseFieldSelector(q.get("fieldSelector") ?? "", allowedFields(call.kind));
  if (call.info.name) fields.push({ field: "metadata.name", op: "=", value: call.info.name });
  const kind = call.kind;
  return {
    labels,
    fields,
    empty: labels.length === 0 && fields.length === 0,
    matches: (obj) => matchLabels(labels, obj.metadata.labels) && (fields.length === 0 || matchFields(fields, fieldValues(kind, obj))),
  };
}

/** dryRun=All (anything else is rejected as upstream does). */
export function isDryRun(call: Call): boolean {
  const values = call.req.query.getAll("dryRun");
  for (const v of values) if (v !== "All") throw badRequest(`Invalid dry run value: ${JSON.stringify(v)}; allowed: "All"`);
  return values.length > 0;
}

/** Decodes the body as an object of this kind, checking apiVersion/kind when given. */
export function decodeObject(call: Call): KubeObject {
  const body = decodeBody(call.req, { kind: call.kind, protobuf: call.ctx.protobuf });
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw badRequest("the body of the request must be a JSON object");
  const obj = body as KubeObject;
  const want = apiVersionOf(call.kind);
  if (obj.kind !== undefined && obj.kind !== call.kind.kind) {
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${call.kind.kind})`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${want})`);
  }
  obj.apiVersion = want;
  obj.kind = call.kind.kind;
  if (obj.metadata === undefined || obj.metadata === null || typeof obj.metadata !== "object") obj.metadata = {};
  return obj;
}

/** Reads an integer query parameter. */
export function intParam(call: Call, name: string): number | undefined {
  const v = call.req.query.get(name);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid ${name} ${JSON.stringify(v)}: not an integer`);
  return n;
}
