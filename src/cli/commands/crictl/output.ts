/**
 * crictl's json/yaml output: CRI messages rendered as Go's protojson does
 * (lowerCamelCase names, int64 as strings, unset messages left out, map keys
 * untouched), and the `inspect*`/`info` documents, whose keys come out sorted
 * because crictl round-trips them through a Go map.
 */
import protobuf from "protobufjs";
import { stringify as yamlStringify } from "yaml";
import { criType } from "./proto.ts";

/** Fields whose values are maps: their keys are data and keep their spelling. */
const MAP_FIELDS = new Set(["labels", "annotations", "label_selector", "sysctls", "info"]);

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Fields of a known message in field-number order, as protojson writes them. */
function typedJson(value: Record<string, unknown>, type: protobuf.Type): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    const v = value[f.name];
    if (v === null || v === undefined) continue;
    const sub = f.resolvedType instanceof protobuf.Type ? f.resolvedType : undefined;
    // protojson writes map entries sorted by key
    out[camel(f.name)] = f.map ? sortKeys(v) : Array.isArray(v) ? v.map((x) => protoJson(x, sub)) : protoJson(v, sub);
  }
  return out;
}

/** A CRI message (as the client decodes it) in protojson shape; with its type, in protojson's field order. */
export function protoJson(value: unknown, type?: protobuf.Type): unknown {
  if (value === null || value === undefined) return undefined;
  if (Buffer.isBuffer(value)) return value.toString("base64");
  if (Array.isArray(value)) return value.map((x) => protoJson(x, type));
  if (typeof value !== "object") return value;
  if (type) return typedJson(value as Record<string, unknown>, type);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    out[camel(k)] = MAP_FIELDS.has(k) && typeof v === "object" ? { ...v } : protoJson(v);
  }
  return out;
}

/** The value with every object's keys sorted, as Go's encoding/json writes a map. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

/** JSON indented by two spaces, newline-terminated. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** YAML as sigs.k8s.io/yaml writes it: sorted keys, sequences not indented; crictl adds a newline. */
export function toYaml(value: unknown): string {
  return `${yamlStringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0 })}\n`;
}

/** An int64 nanosecond timestamp as Go's RFC3339Nano (UTC); zero is Go's zero time. */
export function rfc3339Nano(nanos: string | number | bigint): string {
  const n = BigInt(nanos);
  if (n === 0n) return "0001-01-01T00:00:00Z";
  const seconds = n / 1_000_000_000n;
  const frac = (n % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${base}${frac ? `.${frac}` : ""}Z`;
}

/** One `inspect*`/`info` result: the status document plus the runtime's info entries. */
export interface StatusDoc {
  status?: unknown;
  info: Record<string, string>;
}

/** crictl's outputStatusData: info values that look like JSON objects are parsed, others unquoted; one doc alone, several as a list. */
export function statusOutput(docs: StatusDoc[], format: string): string {
  if (docs.length === 0) return "";
  const result = docs.map((d) => {
    const m: Record<string, unknown> = {};
    if (d.status !== undefined) m.status = d.status;
    for (const [k, v] of Object.entries(d.info)) m[k] = v.startsWith("{") ? (JSON.parse(v) as unknown) : v.replace(/^"+|"+$/g, "");
    return sortKeys(m);
  });
  const value = result.length === 1 ? result[0] : result;
  if (format === "yaml") return toYaml(value);
  if (format === "json") return toJson(value);
  throw new Error(`unsupported format: "${format}"`);
}

/** A list answer (ps/pods/images -o json|yaml) in protojson shape, typed by its response message name when it is one. */
export function listOutput(value: object, format: string, typeName?: string): string {
  const doc = protoJson(value, typeName ? criType(typeName) : undefined);
  if (format === "json") return toJson(doc);
  if (format === "yaml") return toYaml(doc);
  throw new Error(`unsupported output format "${format}"`);
}
