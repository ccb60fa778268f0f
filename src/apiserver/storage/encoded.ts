/**
 * JSON of shared cache objects, made once and reused by every watcher and
 * every LIST that sends the object unchanged: serialising a 5 000-pod list per
 * request was two thirds of the LIST's CPU. The text is kept as UTF-8 bytes,
 * so that a list body is a copy of those bytes: joining the strings and
 * encoding the result cost ten times more than the copy.
 */

/** Keyed by object identity: a cached object is never changed in place, a change makes a new object. */
const bytes = new WeakMap<object, Buffer>();

/** Lists whose items are all shared cache objects. */
const sharedLists = new WeakSet<object>();

const COMMA = 0x2c;

/** The JSON (UTF-8) of a shared (immutable) object, computed on first use. */
export function sharedJson(obj: object): Buffer {
  let json = bytes.get(obj);
  if (json === undefined) {
    json = Buffer.from(JSON.stringify(obj));
    bytes.set(obj, json);
  }
  return json;
}

/** Marks a list whose `items` are shared cache objects, so that jsonOf reuses their text. */
export function withSharedItems<T extends { items: object[] }>(list: T): T {
  sharedLists.add(list);
  return list;
}

/** JSON.stringify(value) as UTF-8, byte for byte, built from cached item texts for lists marked by withSharedItems. */
export function jsonOf(value: unknown): Buffer {
  if (typeof value !== "object" || value === null || !sharedLists.has(value)) return Buffer.from(JSON.stringify(value));
  const record = value as Record<string, unknown>;
  // the members around `items`, as text; `items` itself as the cached bytes
  let head = "{";
  let tail = "";
  let items: Buffer[] | undefined;
  for (const key of Object.keys(record)) {
    const v = record[key];
    // the members JSON.stringify leaves out
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    const sep = head.length > 1 || items ? "," : "";
    if (key === "items" && items === undefined) {
      head += `${sep}"items":[`;
      items = (v as object[]).map(sharedJson);
    } else if (items) tail += `${sep}${JSON.stringify(key)}:${JSON.stringify(v)}`;
    else head += `${sep}${JSON.stringify(key)}:${JSON.stringify(v)}`;
  }
  if (!items) return Buffer.from(`${head}}`);
  tail = `]${tail}}`;
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(0, items.length - 1);
  for (const b of items) size += b.length;
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out[at++] = COMMA;
    at += items[i].copy(out, at);
  }
  at += out.write(tail, at);
  return out;
}
