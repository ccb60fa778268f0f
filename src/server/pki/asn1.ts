/**
 * A small DER encoder and decoder: just the ASN.1 types X.509 certificates
 * and PKCS#10 requests use. Node's crypto signs and verifies but cannot
 * build certificates, so we assemble the bytes ourselves.
 */

/** Universal and context tags used by X.509. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Encodes one TLV with the given tag byte and content. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** SEQUENCE of already encoded elements. */
export function seq(...items: Buffer[]): Buffer {
  return tlv(Tag.SEQUENCE, Buffer.concat(items));
}

/** SET of already encoded elements, sorted as DER requires for SET OF. */
export function set(...items: Buffer[]): Buffer {
  const sorted = [...items].sort(Buffer.compare);
  return tlv(Tag.SET, Buffer.concat(sorted));
}

/** Explicitly tagged context-specific constructed wrapper ([n] EXPLICIT). */
export function explicit(n: number, inner: Buffer): Buffer {
  return tlv(0xa0 | n, inner);
}

/** Implicitly tagged context-specific primitive value ([n] IMPLICIT). */
export function implicitPrimitive(n: number, content: Buffer): Buffer {
  return tlv(0x80 | n, content);
}

/** INTEGER from unsigned big-endian bytes (a leading zero is added when the top bit is set). */
export function integerFromBytes(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1] & 0x80) === 0) start++;
  let body = bytes.subarray(start);
  if (body.length === 0) body = Buffer.from([0]);
  if (body[0] & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(Tag.INTEGER, body);
}

/** INTEGER from a small non-negative number. */
export function integer(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return integerFromBytes(Buffer.from(bytes.length ? bytes : [0]));
}

/** BOOLEAN. */
export function boolean(v: boolean): Buffer {
  return tlv(Tag.BOOLEAN, Buffer.from([v ? 0xff : 0x00]));
}

/** NULL. */
export function nul(): Buffer {
  return tlv(Tag.NULL, Buffer.alloc(0));
}

/** OBJECT IDENTIFIER from dotted form, e.g. "2.5.4.3". */
export function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 0) throw new Error(`bad object identifier ${dotted}`);
    return n;
  });
  if (parts.length < 2) throw new Error(`bad object identifier ${dotted}`);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(Tag.OID, Buffer.from(out));
}

/** OCTET STRING. */
export function octetString(content: Buffer): Buffer {
  return tlv(Tag.OCTET_STRING, content);
}

/** BIT STRING with a whole number of bytes (no unused bits). */
export function bitString(content: Buffer): Buffer {
  return tlv(Tag.BIT_STRING, Buffer.concat([Buffer.from([0]), content]));
}

/** BIT STRING from named bit positions (bit 0 = most significant bit of the first byte), DER-trimmed. */
export function namedBits(bits: number[]): Buffer {
  if (bits.length === 0) return tlv(Tag.BIT_STRING, Buffer.from([0]));
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const b of bits) bytes[Math.floor(b / 8)] |= 0x80 >> b % 8;
  const unused = 7 - (highest % 8);
  return tlv(Tag.BIT_STRING, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** UTF8String. */
export function utf8(s: string): Buffer {
  return tlv(Tag.UTF8_STRING, Buffer.from(s, "utf8"));
}

/** IA5String (ASCII). */
export function ia5(s: string): Buffer {
  return tlv(Tag.IA5_STRING, Buffer.from(s, "ascii"));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on, as RFC 5280 requires. */
export function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, "");
  const year = d.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(Tag.UTC_TIME, Buffer.from(digits.slice(2) + "Z", "ascii"));
  return tlv(Tag.GENERALIZED_TIME, Buffer.from(digits + "Z", "ascii"));
}

/** One decoded TLV: its tag, its content, and the whole encoding (for signatures over raw bytes). */
export interface Node {
  tag: number;
  content: Buffer;
  raw: Buffer;
}

/** Decodes the TLV at `offset` in `buf`. */
export function decode(buf: Buffer, offset = 0): Node {
  if (offset + 2 > buf.length) throw new Error(`truncated der at offset ${offset}`);
  const tag = buf[offset];
  let pos = offset + 1;
  let len = buf[pos++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || pos + n > buf.length) throw new Error(`bad der length at offset ${offset}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos++];
  }
  if (pos + len > buf.length) throw new Error(`der element at offset ${offset} runs past the end`);
  return { tag, content: buf.subarray(pos, pos + len), raw: buf.subarray(offset, pos + len) };
}

/** Decodes every TLV inside a constructed node's content. */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  let offset = 0;
  while (offset < node.content.length) {
    const child = decode(node.content, offset);
    out.push(child);
    offset += child.raw.length;
  }
  return out;
}

/** Dotted form of an OBJECT IDENTIFIER node's content. */
export function oidToString(content: Buffer): string {
  if (content.length === 0) throw new Error("empty object identifier");
  const parts: number[] = [Math.floor(content[0] / 40), content[0] % 40];
  let v = 0;
  for (const b of content.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

/** Wraps DER bytes in a PEM block with the given label. */
export function toPEM(der: Buffer, label: string): string {
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** Every PEM block with the given label, as DER. */
export function fromPEM(pem: string, label: string): Buffer[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, "g");
  const out: Buffer[] = [];
  for (const m of pem.matchAll(re)) out.push(Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
  return out;
}
