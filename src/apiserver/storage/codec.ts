/** How objects are kept in the datastore: JSON without resourceVersion, which the revision supplies. */
import type { KeyValue } from "../../datastore/backend.ts";
import type { KubeObject } from "../../api/types.ts";

/** Serialises an object for storage (resourceVersion is the datastore's, not stored). */
export function encodeStored(obj: KubeObject): Buffer {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return Buffer.from(JSON.stringify({ ...obj, metadata }));
}

/** Parses a stored value and stamps resourceVersion from its modRevision. */
export function decodeStored(kv: Pick<KeyValue, "value" | "modRevision">): KubeObject {
  const obj = JSON.parse(kv.value.toString("utf8")) as KubeObject;
  obj.metadata = obj.metadata ?? {};
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** The exclusive end of a prefix range ("/a/" → "/a0"). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** A deep copy, so cached objects are never changed in place. */
export function clone<T>(v: T): T {
  return structuredClone(v);
}
