/**
 * JSON text of shared cache objects, made once and reused by every watcher
 * and every LIST that sends the object unchanged: serialising a 5 000-pod
 * list per request was two thirds of the LIST's CPU.
 */

/** Keyed by object identity: a cached object is never changed in place, a change makes a new object. */
const texts = new WeakMap<object, string>();

/** Lists whose items are all shared cache objects. */
const sharedLists = new WeakSet<object>();

/** The JSON of a shared (immutable) object, computed on first use. */
export function sharedJson(obj: object): string {
  let json = texts.get(obj);
  if (json === undefined) {
    json = JSON.stringify(obj);
    texts.set(obj, json);
  }
  return json;
}

/** Marks a list whose `items` are shared cache objects, so that jsonOf reuses their text. */
export function withSharedItems<T extends { items: object[] }>(list: T): T {
  sharedLists.add(list);
  return list;
}

/** JSON.stringify(value), byte for byte, built from cached item texts for lists marked by withSharedItems. */
export function jsonOf(value: unknown): string {
  if (typeof value !== "object" || value === null || !sharedLists.has(value)) return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record)) {
    const v = record[key];
    // the members JSON.stringify leaves out
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    const text = key === "items" ? `[${(v as object[]).map(sharedJson).join(",")}]` : JSON.stringify(v);
    parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(",")}}`;
}
