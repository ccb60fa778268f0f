/**
 * Repairs the :authority of HTTP/2 requests on a unix socket connection.
 *
 * etcd's Go client (etcdctl 3.4) dialling unix:///abs/path sends
 * `:authority: /abs/path`, which Node's HTTP/2 (nghttp2) rejects with
 * PROTOCOL_ERROR before any handler runs. This sits between the socket and
 * the http2 server, finds :authority fields in the client's HPACK header
 * blocks by structure alone (no Huffman decoding needed) and replaces their
 * value with "k". The new value is never longer than the old one, so the
 * decoder's dynamic table only ever holds smaller entries than the client's
 * and every index the client sends still points at the same entry.
 */
import type { Duplex } from "node:stream";
import type { Socket } from "node:net";
import { wrapConnection } from "./connection.ts";

const PREFACE_LENGTH = 24;
const TYPE_HEADERS = 0x1;
const TYPE_CONTINUATION = 0x9;
const FLAG_END_STREAM = 0x1;
const FLAG_END_HEADERS = 0x4;
const FLAG_PADDED = 0x8;
const FLAG_PRIORITY = 0x20;
const MAX_FRAME = 16384;
/** static table index of :authority */
const AUTHORITY = 1;
const REPLACEMENT = Buffer.from([0x01, 0x6b]); // raw string "k"

function readInt(buf: Buffer, pos: number, prefixBits: number): [number, number] {
  const max = (1 << prefixBits) - 1;
  let value = buf[pos] & max;
  pos++;
  if (value < max) return [value, pos];
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error("hpack: truncated integer");
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, pos];
  }
}

function skipString(buf: Buffer, pos: number): number {
  const [len, p] = readInt(buf, pos, 7);
  if (p + len > buf.length) throw new Error("hpack: truncated string");
  return p + len;
}

/** the header block with every literal :authority value replaced */
export function rewriteHeaderBlock(block: Buffer): Buffer {
  const out: Buffer[] = [];
  let copied = 0;
  let pos = 0;
  while (pos < block.length) {
    const b = block[pos];
    if (b & 0x80) {
      pos = readInt(block, pos, 7)[1];
      continue;
    }
    if ((b & 0xe0) === 0x20) {
      pos = readInt(block, pos, 5)[1];
      continue;
    }
    const prefix = (b & 0xc0) === 0x40 ? 6 : 4;
    const [index, afterIndex] = readInt(block, pos, prefix);
    const valueStart = index === 0 ? skipString(block, afterIndex) : afterIndex;
    const valueEnd = skipString(block, valueStart);
    if (index === AUTHORITY) {
      out.push(block.subarray(copied, valueStart), REPLACEMENT);
      copied = valueEnd;
    }
    pos = valueEnd;
  }
  if (copied === 0) return block;
  out.push(block.subarray(copied));
  return Buffer.concat(out);
}

function frameHeader(length: number, type: number, flags: number, stream: number): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream & 0x7fffffff, 5);
  return h;
}

interface PendingHeaders {
  stream: number;
  flags: number;
  priority?: Buffer;
  fragments: Buffer[];
}

/** rewrites the client-to-server byte stream of one HTTP/2 connection */
export class AuthorityRewriter {
  private buf: Buffer = Buffer.alloc(0);
  private prefaceLeft = PREFACE_LENGTH;
  private pending?: PendingHeaders;

  /** returns the bytes to hand to the server for this chunk from the client */
  feed(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    if (this.prefaceLeft > 0) {
      const n = Math.min(this.prefaceLeft, this.buf.length);
      out.push(this.buf.subarray(0, n));
      this.buf = this.buf.subarray(n);
      this.prefaceLeft -= n;
    }
    while (this.buf.length >= 9) {
      const length = this.buf.readUIntBE(0, 3);
      if (this.buf.length < 9 + length) break;
      const type = this.buf[3];
      const flags = this.buf[4];
      const stream = this.buf.readUInt32BE(5) & 0x7fffffff;
      const payload = this.buf.subarray(9, 9 + length);
      const raw = this.buf.subarray(0, 9 + length);
      this.buf = this.buf.subarray(9 + length);
      if (type === TYPE_HEADERS) this.headers(flags, stream, payload, out);
      else if (type === TYPE_CONTINUATION && this.pending) this.continuation(flags, payload, out);
      else out.push(raw);
    }
    return out;
  }

  private headers(flags: number, stream: number, payload: Buffer, out: Buffer[]): void {
    let start = 0;
    let end = payload.length;
    if (flags & FLAG_PADDED) {
      end -= payload[0];
      start = 1;
    }
    let priority: Buffer | undefined;
    if (flags & FLAG_PRIORITY) {
      priority = payload.subarray(start, start + 5);
      start += 5;
    }
    this.pending = { stream, flags, priority, fragments: [payload.subarray(start, end)] };
    if (flags & FLAG_END_HEADERS) this.flush(out);
  }

  private continuation(flags: number, payload: Buffer, out: Buffer[]): void {
    this.pending?.fragments.push(payload);
    if (flags & FLAG_END_HEADERS) this.flush(out);
  }

  private flush(out: Buffer[]): void {
    const p = this.pending as PendingHeaders;
    this.pending = undefined;
    const block = rewriteHeaderBlock(Buffer.concat(p.fragments));
    const head = p.priority ? Buffer.concat([p.priority, block]) : block;
    const baseFlags = p.flags & (FLAG_END_STREAM | FLAG_PRIORITY);
    let first = head.subarray(0, MAX_FRAME);
    let rest = head.subarray(first.length);
    out.push(frameHeader(first.length, TYPE_HEADERS, baseFlags | (rest.length ? 0 : FLAG_END_HEADERS), p.stream), first);
    while (rest.length) {
      first = rest.subarray(0, MAX_FRAME);
      rest = rest.subarray(first.length);
      out.push(frameHeader(first.length, TYPE_CONTINUATION, rest.length ? 0 : FLAG_END_HEADERS, p.stream), first);
    }
  }
}

/** wraps a client socket so the http2 server sees repaired :authority values */
export function repairAuthority(socket: Socket): Duplex {
  const rewriter = new AuthorityRewriter();
  return wrapConnection(socket, { rewrite: (chunk) => rewriter.feed(chunk) });
}
