/** Narrowing accessors for untyped object trees (objects arrive as JSON). */

/** A plain JSON object. */
export type JsonMap = Record<string, unknown>;

/** The value as an object, or undefined. */
export function asMap(v: unknown): JsonMap | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as JsonMap) : undefined;
}

/** The value as an array, or an empty one. */
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The value as an array of objects (non-objects are skipped). */
export function asMaps(v: unknown): JsonMap[] {
  return asArray(v).map(asMap).filter((m): m is JsonMap => m !== undefined);
}

/** The value as a string, or "". */
export function asString(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** The value as a number, or undefined. */
export function asNumber(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Reads a dotted path ("spec.template.spec"); undefined when any step is missing. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split(".")) {
    const m = asMap(cur);
    if (!m) return undefined;
    cur = m[key];
  }
  return cur;
}

/** The object at a dotted path, created (as {}) when missing. */
export function ensureMap(obj: JsonMap, path: string): JsonMap {
  let cur = obj;
  for (const key of path.split(".")) {
    let next = asMap(cur[key]);
    if (!next) {
      next = {};
      cur[key] = next;
    }
    cur = next;
  }
  return cur;
}

/** Sets each obj[key] = value only where the key is absent, null or "". */
export function setDefaults(obj: JsonMap, values: JsonMap): void {
  for (const [key, value] of Object.entries(values)) {
    if (obj[key] === undefined || obj[key] === null || obj[key] === "") obj[key] = value;
  }
}
