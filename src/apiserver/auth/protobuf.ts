/**
 * Decoding of the review kinds' protobuf bodies (`k8s\0` + runtime.Unknown),
 * which kubectl 1.32 sends for `auth can-i` and `auth whoami`. Only the
 * fields reviews read are decoded; field numbers are upstream's
 * generated.proto facts.
 */
import type { KubeObject } from "../../api/types.ts";

type FieldType = "string" | "strings" | "extra" | "int" | Message;
interface Message {
  [field: number]: [name: string, type: FieldType];
}

const OBJECT_META: Message = { 1: ["name", "string"], 2: ["generateName", "string"], 3: ["namespace", "string"] };
const RESOURCE_ATTRIBUTES: Message = {
  1: ["namespace", "string"],
  2: ["verb", "string"],
  3: ["group", "string"],
  4: ["version", "string"],
  5: ["resource", "string"],
  6: ["subresource", "string"],
  7: ["name", "string"],
};
const NON_RESOURCE_ATTRIBUTES: Message = { 1: ["path", "string"], 2: ["verb", "string"] };
const ACCESS_SPEC: Message = {
  1: ["resourceAttributes", RESOURCE_ATTRIBUTES],
  2: ["nonResourceAttributes", NON_RESOURCE_ATTRIBUTES],
  3: ["user", "string"],
  4: ["groups", "strings"],
  5: ["extra", "extra"],
  6: ["uid", "string"],
};

/** Top-level message layouts by kind. */
const KINDS: Record<string, Message> = {
  SelfSubjectAccessReview: { 1: ["metadata", OBJECT_META], 2: ["spec", ACCESS_SPEC] },
  SubjectAccessReview: { 1: ["metadata", OBJECT_META], 2: ["spec", ACCESS_SPEC] },
  LocalSubjectAccessReview: { 1: ["metadata", OBJECT_META], 2: ["spec", ACCESS_SPEC] },
  SelfSubjectRulesReview: { 1: ["metadata", OBJECT_META], 2: ["spec", { 1: ["namespace", "string"] }] },
  TokenReview: { 1: ["metadata", OBJECT_META], 2: ["spec", { 1: ["token", "string"], 2: ["audiences", "strings"] }] },
  SelfSubjectReview: { 1: ["metadata", OBJECT_META] },
  TokenRequest: {
    1: ["metadata", OBJECT_META],
    2: [
      "spec",
      {
        1: ["audiences", "strings"],
        3: ["boundObjectRef", { 1: ["kind", "string"], 2: ["apiVersion", "string"], 3: ["name", "string"], 4: ["uid", "string"] }],
        4: ["expirationSeconds", "int"],
      },
    ],
  },
};

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error("protobuf body ends inside a varint");
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error("protobuf varint is too long");
    }
  }
  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error(`protobuf field of ${len} bytes runs past the end of the body`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  /** Calls fn for each field; fn returns false to skip a field it does not read. */
  fields(fn: (field: number, wire: number) => boolean): void {
    while (!this.done()) {
      const tag = this.varint();
      const field = Math.floor(tag / 8);
      const wire = tag & 7;
      if (!fn(field, wire)) this.skip(wire);
    }
  }
}

function decodeExtraEntry(buf: Buffer): [string, string[]] {
  let key = "";
  const values: string[] = [];
  const r = new Reader(buf);
  r.fields((f, wire) => {
    if (wire !== 2) return false;
    const b = r.bytes();
    if (f === 1) key = b.toString("utf8");
    else if (f === 2) {
      const inner = new Reader(b);
      inner.fields((g, w) => {
        if (g !== 1 || w !== 2) return false;
        values.push(inner.bytes().toString("utf8"));
        return true;
      });
    }
    return true;
  });
  return [key, values];
}

function decodeMessage(buf: Buffer, layout: Message): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  r.fields((field, wire) => {
    const spec = layout[field];
    if (!spec) return false;
    const [name, type] = spec;
    if (type === "int") {
      if (wire !== 0) return false;
      out[name] = r.varint();
      return true;
    }
    if (wire !== 2) return false;
    const b = r.bytes();
    if (type === "string") out[name] = b.toString("utf8");
    else if (type === "strings") out[name] = [...((out[name] as string[] | undefined) ?? []), b.toString("utf8")];
    else if (type === "extra") {
      const [k, v] = decodeExtraEntry(b);
      out[name] = { ...((out[name] as Record<string, string[]> | undefined) ?? {}), [k]: v };
    } else out[name] = decodeMessage(b, type);
    return true;
  });
  return out;
}

/** Decodes a review kind's (or TokenRequest's) protobuf body; throws naming what is wrong. */
export function decodeReviewProtobuf(kind: string, body: Buffer): KubeObject {
  const layout = KINDS[kind];
  if (!layout) throw new Error(`no protobuf layout for kind "${kind}"`);
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw new Error("protobuf body does not start with the k8s magic");
  const unknown = new Reader(body.subarray(4));
  let raw: Buffer | undefined;
  let typeMeta: Record<string, unknown> = {};
  unknown.fields((field, wire) => {
    if (wire !== 2) return false;
    const b = unknown.bytes();
    if (field === 1) typeMeta = decodeMessage(b, { 1: ["apiVersion", "string"], 2: ["kind", "string"] });
    else if (field === 2) raw = b;
    return true;
  });
  if (!raw) throw new Error("protobuf body carries no object");
  if (typeMeta.kind !== undefined && typeMeta.kind !== kind) throw new Error(`protobuf body holds kind "${String(typeMeta.kind)}", expected "${kind}"`);
  const obj = decodeMessage(raw, layout) as KubeObject;
  obj.metadata ??= {};
  if (typeof typeMeta.apiVersion === "string") obj.apiVersion = typeMeta.apiVersion;
  obj.kind = kind;
  return obj;
}
