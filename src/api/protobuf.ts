/**
 * Decodes kubectl's `application/vnd.kubernetes.protobuf` bodies into JSON
 * objects by walking the kind's schema with protobuf field numbers, so no
 * .proto files are needed: the schema is the one source of truth.
 */
import type { FieldSchema, SchemaRegistry } from "./kind.ts";
import type { KubeObject } from "./types.ts";
import { pointerFields, protobufInlines } from "./schemas/index.ts";
import { definitionPrefix } from "./kinds/define.ts";

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** A field as read off the wire. */
interface WireField {
  num: number;
  wire: number;
  /** varint / fixed values */
  int?: bigint;
  bytes?: Buffer;
}

function readVarint(buf: Buffer, pos: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos.i >= buf.length) throw new Error(`protobuf: truncated varint at ${pos.i}`);
    const b = buf[pos.i++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
    if (shift > 70n) throw new Error("protobuf: varint too long");
  }
}

/** Splits one message into its fields. */
function readFields(buf: Buffer): WireField[] {
  const out: WireField[] = [];
  const pos = { i: 0 };
  while (pos.i < buf.length) {
    const key = Number(readVarint(buf, pos));
    const num = key >>> 3;
    const wire = key & 7;
    switch (wire) {
      case 0:
        out.push({ num, wire, int: readVarint(buf, pos) });
        break;
      case 1:
        out.push({ num, wire, bytes: buf.subarray(pos.i, pos.i + 8) });
        pos.i += 8;
        break;
      case 2: {
        const len = Number(readVarint(buf, pos));
        if (pos.i + len > buf.length) throw new Error(`protobuf: field ${num} length ${len} overruns the message`);
        out.push({ num, wire, bytes: buf.subarray(pos.i, pos.i + len) });
        pos.i += len;
        break;
      }
      case 5:
        out.push({ num, wire, bytes: buf.subarray(pos.i, pos.i + 4) });
        pos.i += 4;
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${wire} for field ${num}`);
    }
  }
  return out;
}

const TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
const MICRO_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
const DURATION = "io.k8s.apimachinery.pkg.apis.meta.v1.Duration";
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const RAW_JSON = new Set([
  "io.k8s.apimachinery.pkg.runtime.RawExtension",
  "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
]);

/** Marks a value that protobuf carried but Go's JSON would leave out (zero, unset). */
const OMIT = Symbol("omit");
type Decoded = unknown | typeof OMIT;

function formatTime(buf: Buffer, micro: boolean): Decoded {
  let seconds = 0n;
  let nanos = 0n;
  for (const f of readFields(buf)) {
    if (f.num === 1) seconds = BigInt.asIntN(64, f.int ?? 0n);
    if (f.num === 2) nanos = BigInt.asIntN(64, f.int ?? 0n);
  }
  if (seconds === 0n && nanos === 0n) return OMIT;
  const ms = Number(seconds) * 1000;
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, "");
  if (!micro) return `${iso}Z`;
  return `${iso}.${String(Number(nanos) / 1000 | 0).padStart(6, "0")}Z`;
}

function formatDuration(buf: Buffer): string {
  let ns = 0n;
  for (const f of readFields(buf)) if (f.num === 1) ns = BigInt.asIntN(64, f.int ?? 0n);
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let rest = neg ? -ns : ns;
  const h = rest / 3_600_000_000_000n;
  rest %= 3_600_000_000_000n;
  const m = rest / 60_000_000_000n;
  rest %= 60_000_000_000n;
  const s = Number(rest) / 1e9;
  let out = "";
  if (h > 0n) out += `${h}h`;
  if (h > 0n || m > 0n) out += `${m}m`;
  out += `${s}s`;
  return neg ? `-${out}` : out;
}

/** Decodes a scalar (or special) value of schema s from one wire field. */
function decodeValue(schemas: SchemaRegistry, s: FieldSchema, f: WireField): Decoded {
  if (s.ref) {
    if (s.ref === TIME || s.ref === MICRO_TIME) return formatTime(f.bytes ?? Buffer.alloc(0), s.ref === MICRO_TIME);
    if (s.ref === DURATION) return formatDuration(f.bytes ?? Buffer.alloc(0));
    if (s.ref === QUANTITY) {
      const str = readFields(f.bytes ?? Buffer.alloc(0)).find((x) => x.num === 1);
      return str?.bytes ? str.bytes.toString("utf8") : OMIT;
    }
    if (s.ref === INT_OR_STRING) {
      let type = 0n;
      let intVal = 0n;
      let strVal = "";
      for (const x of readFields(f.bytes ?? Buffer.alloc(0))) {
        if (x.num === 1) type = x.int ?? 0n;
        if (x.num === 2) intVal = BigInt.asIntN(32, x.int ?? 0n);
        if (x.num === 3) strVal = x.bytes?.toString("utf8") ?? "";
      }
      return type === 1n ? strVal : Number(intVal);
    }
    if (RAW_JSON.has(s.ref)) {
      const raw = readFields(f.bytes ?? Buffer.alloc(0)).find((x) => x.num === 1)?.bytes;
      if (!raw || raw.length === 0) return OMIT;
      return JSON.parse(raw.toString("utf8"));
    }
    return decodeMessage(schemas, s.ref, f.bytes ?? Buffer.alloc(0));
  }
  switch (s.type) {
    case "string":
      if (s.format === "byte") return (f.bytes ?? Buffer.alloc(0)).toString("base64");
      return (f.bytes ?? Buffer.alloc(0)).toString("utf8");
    case "boolean":
      return (f.int ?? 0n) !== 0n;
    case "integer":
      return Number(s.format === "int32" ? BigInt.asIntN(32, f.int ?? 0n) : BigInt.asIntN(64, f.int ?? 0n));
    case "number":
      return f.bytes && f.bytes.length === 8 ? f.bytes.readDoubleLE(0) : f.bytes?.readFloatLE(0) ?? 0;
    case "object":
      if (s.preserveUnknownFields || !s.properties) {
        return f.bytes && f.bytes.length ? JSON.parse(f.bytes.toString("utf8")) : OMIT;
      }
      return decodeInline(schemas, s, f.bytes ?? Buffer.alloc(0));
  }
  return OMIT;
}

function isZero(v: unknown): boolean {
  return v === "" || v === 0 || v === false;
}

/** Unpacks a packed repeated scalar field. */
function unpack(s: FieldSchema, f: WireField): WireField[] {
  if (f.wire !== 2 || !(s.type === "integer" || s.type === "boolean" || s.type === "number")) return [f];
  const out: WireField[] = [];
  const buf = f.bytes ?? Buffer.alloc(0);
  if (s.type === "number") {
    for (let i = 0; i + 8 <= buf.length; i += 8) out.push({ num: f.num, wire: 1, bytes: buf.subarray(i, i + 8) });
    return out;
  }
  const pos = { i: 0 };
  while (pos.i < buf.length) out.push({ num: f.num, wire: 0, int: readVarint(buf, pos) });
  return out;
}

function decodeMapEntry(schemas: SchemaRegistry, valueSchema: FieldSchema, buf: Buffer): [string, Decoded] {
  let key = "";
  let value: Decoded = valueSchema.type === "array" ? [] : valueSchema.type === "string" ? "" : OMIT;
  for (const f of readFields(buf)) {
    if (f.num === 1) key = f.bytes?.toString("utf8") ?? "";
    if (f.num === 2) {
      if (valueSchema.type === "array" && valueSchema.items) {
        // Go's named slices (ExtraValue) travel as a message with repeated field 1
        const items = valueSchema.items;
        value = readFields(f.bytes ?? Buffer.alloc(0)).filter((x) => x.num === 1).flatMap((x) => unpack(items, x)).map((x) => decodeValue(schemas, items, x));
      } else value = decodeValue(schemas, valueSchema, f);
    }
  }
  return [key, value];
}

/** Field number → (JSON name, schema), built once per schema object. */
const numbering = new WeakMap<FieldSchema, Map<number, [string, FieldSchema]>>();

function fieldsByNumber(schema: FieldSchema): Map<number, [string, FieldSchema]> {
  let byNum = numbering.get(schema);
  if (!byNum) {
    byNum = new Map();
    for (const [name, p] of Object.entries(schema.properties ?? {})) if (p.protobuf !== undefined) byNum.set(p.protobuf, [name, p]);
    numbering.set(schema, byNum);
  }
  return byNum;
}

/** Decodes the fields of an inline (non-ref) object schema. */
function decodeInline(schemas: SchemaRegistry, schema: FieldSchema, buf: Buffer, defName?: string): Record<string, unknown> {
  const byNum = fieldsByNumber(schema);
  const inlines = defName ? protobufInlines[defName] ?? [] : [];
  const keepZero = new Set(defName ? pointerFields[defName] ?? [] : []);
  const out: Record<string, unknown> = {};
  for (const f of readFields(buf)) {
    const hit = byNum.get(f.num);
    if (!hit) {
      const inl = inlines.find((x) => x.protobuf === f.num);
      if (inl) Object.assign(out, decodeMessage(schemas, inl.ref, f.bytes ?? Buffer.alloc(0)));
      continue;
    }
    const [name, p] = hit;
    if (p.type === "array" && p.items) {
      const items = p.items;
      const list = Array.isArray(out[name]) ? (out[name] as unknown[]) : [];
      for (const x of unpack(items, f)) {
        const v = decodeValue(schemas, items, x);
        list.push(v === OMIT ? null : v);
      }
      out[name] = list;
      continue;
    }
    if (p.type === "object" && p.additionalProperties && typeof p.additionalProperties === "object") {
      const map = (out[name] as Record<string, unknown> | undefined) ?? {};
      const [k, v] = decodeMapEntry(schemas, p.additionalProperties, f.bytes ?? Buffer.alloc(0));
      map[k] = v === OMIT ? "" : v;
      out[name] = map;
      continue;
    }
    const v = decodeValue(schemas, p, f);
    if (v === OMIT) continue;
    if (isZero(v) && !keepZero.has(name) && !p.ref) continue;
    out[name] = v;
  }
  return out;
}

/** Decodes one message of the named definition. */
function decodeMessage(schemas: SchemaRegistry, defName: string, buf: Buffer): Record<string, unknown> {
  const def = schemas[defName];
  if (!def) throw new Error(`protobuf: no schema named ${JSON.stringify(defName)}`);
  return decodeInline(schemas, def, buf, defName);
}

/** The definition name for an apiVersion and kind, as upstream's OpenAPI names it. */
export function definitionFor(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return `${definitionPrefix(group, version)}.${kind}`;
}

/** Decodes a `k8s\0`-framed runtime.Unknown protobuf body into a JSON object; throws naming what is wrong. */
export function decodeProtobuf(schemas: SchemaRegistry, body: Buffer): KubeObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw new Error("protobuf body lacks the k8s\\0 prefix");
  let apiVersion = "";
  let kind = "";
  let raw: Buffer = Buffer.alloc(0);
  let encoding = "";
  for (const f of readFields(body.subarray(4))) {
    if (f.num === 1 && f.bytes) {
      for (const t of readFields(f.bytes)) {
        if (t.num === 1) apiVersion = t.bytes?.toString("utf8") ?? "";
        if (t.num === 2) kind = t.bytes?.toString("utf8") ?? "";
      }
    }
    if (f.num === 2 && f.bytes) raw = f.bytes;
    if (f.num === 3 && f.bytes) encoding = f.bytes.toString("utf8");
  }
  if (encoding && encoding !== "identity") throw new Error(`unsupported protobuf content encoding ${JSON.stringify(encoding)}`);
  if (!kind || !apiVersion) throw new Error(`protobuf body names no type (apiVersion ${JSON.stringify(apiVersion)}, kind ${JSON.stringify(kind)})`);
  let defName = definitionFor(apiVersion, kind);
  // meta/v1's option kinds (DeleteOptions, ...) are registered in every group version: helm deletes with a "v1" DeleteOptions
  if (!schemas[defName] && schemas[`io.k8s.apimachinery.pkg.apis.meta.v1.${kind}`]) defName = `io.k8s.apimachinery.pkg.apis.meta.v1.${kind}`;
  if (!schemas[defName]) throw new Error(`no protobuf schema for ${apiVersion} ${kind}`);
  const obj = decodeMessage(schemas, defName, raw);
  const { metadata, ...rest } = obj;
  return { apiVersion, kind, metadata: (metadata as KubeObject["metadata"] | undefined) ?? {}, ...rest };
}
