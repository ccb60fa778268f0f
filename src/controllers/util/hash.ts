/** Stable hashes for pod templates (pod-template-hash, controller-revision-hash). */

const SAFE = "bcdfghjklmnpqrstvwxz2456789";

function isEmptyObject(x: unknown): boolean {
  return typeof x === "object" && x !== null && !Array.isArray(x) && Object.values(x).every((v) => v === undefined || v === null || isEmptyObject(v));
}

/**
 * Canonical JSON: keys sorted, so equal objects give equal text. Fields set
 * to null or to empty objects count as absent, as Go's zero values do
 * (kubectl sends "creationTimestamp": null and "resources": {} inside templates).
 */
export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(",")}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined && x !== null && !isEmptyObject(x))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJSON(x)}`).join(",")}}`;
}

/** FNV-1a 32-bit. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(s, "utf8");
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Upstream's SafeEncodeString: digits mapped to consonants and unambiguous digits. */
export function safeEncode(s: string): string {
  let out = "";
  for (const ch of s) out += SAFE[ch.charCodeAt(0) % SAFE.length];
  return out;
}

/** The hash of a template (plus collisionCount), rendered as upstream does. */
export function templateHash(template: unknown, collisionCount?: number): string {
  let text = canonicalJSON(template);
  if (collisionCount) text += String(collisionCount);
  return safeEncode(String(fnv32a(text)));
}
