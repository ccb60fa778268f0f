/** Shared pieces of server-side printing, as upstream's printers.go. */
import type { PrinterColumn } from "./kind.ts";
import type { KubeObject } from "./types.ts";
import { asArray, asMap, asMaps, asString } from "./access.ts";

/** Upstream's duration.HumanDuration (the AGE column's wording). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Upstream's translateTimestampSince: "<unknown>" for a missing time. */
export function since(ts: unknown, now: number = Date.now()): string {
  const s = asString(ts);
  if (!s) return "<unknown>";
  const t = Date.parse(s);
  if (Number.isNaN(t)) return "<unknown>";
  return humanDuration(now - t);
}

/** The object's AGE cell. */
export function age(obj: KubeObject): string {
  return since(obj.metadata.creationTimestamp);
}

/** The NAME column every printer starts with. */
export const NAME: PrinterColumn = { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0 };
/** The AGE column. */
export const AGE: PrinterColumn = { name: "Age", type: "string", description: "CreationTimestamp is a timestamp representing the server time when this object was created.", priority: 0 };

/** A column's type, description and priority (0 = always, 1 = -o wide). */
export interface ColumnSpec {
  type: PrinterColumn["type"];
  description: string;
  priority?: number;
}

/** A column definition in one call. */
export function col(name: string, spec: ColumnSpec): PrinterColumn {
  return { name, type: spec.type, description: spec.description, priority: spec.priority ?? 0 };
}

/** labels.FormatLabels: "k=v,k2=v2" sorted, "<none>" when empty. */
export function formatLabels(m: unknown): string {
  const entries = Object.entries(asMap(m) ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${asString(v)}`).join(",") : "<none>";
}

/** metav1.FormatLabelSelector: requirements sorted by key, "<none>" when empty. */
export function formatLabelSelector(sel: unknown): string {
  const m = asMap(sel);
  if (!m) return "<none>";
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries(asMap(m.matchLabels) ?? {})) reqs.push([k, `${k}=${asString(v)}`]);
  for (const e of asMaps(m.matchExpressions)) {
    const key = asString(e.key);
    const values = asArray(e.values).map(String).sort();
    switch (e.operator) {
      case "In": reqs.push([key, `${key} in (${values.join(",")})`]); break;
      case "NotIn": reqs.push([key, `${key} notin (${values.join(",")})`]); break;
      case "Exists": reqs.push([key, key]); break;
      case "DoesNotExist": reqs.push([key, `!${key}`]); break;
    }
  }
  reqs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return reqs.length ? reqs.map(([, s]) => s).join(",") : "<none>";
}

/** CONTAINERS and IMAGES cells of a pod template. */
export function containersAndImages(podSpec: unknown): [string, string] {
  const cs = asMaps(asMap(podSpec)?.containers);
  return [cs.map((c) => asString(c.name)).join(","), cs.map((c) => asString(c.image)).join(",")];
}

/** "<none>" for an empty cell, as upstream prints missing values. */
export function orNone(s: string): string {
  return s === "" ? "<none>" : s;
}

/** RFC 3339 without fractions, as Go's metav1.Time marshals. */
export function rfc3339(ts: unknown): string {
  const s = asString(ts);
  if (!s) return "";
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
