/**
 * Just enough of SPDY/3.1 for a remotecommand client: open streams with a
 * `streamtype` header, send data (with FIN to close our side), read the
 * frames the server sends. Flow control is not needed: the Go spdystream
 * peer neither sends nor honours WINDOW_UPDATE.
 *
 * Header blocks must be zlib-compressed; we write them as stored (literal)
 * deflate blocks of one zlib stream, each followed by the empty block a sync
 * flush writes, which needs no dictionary (the FDICT bit stays clear).
 */
import type { Socket } from "node:net";

/** SPDY control frame types this client meets. */
export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const PING = 6;
export const GOAWAY = 7;
/** FLAG_FIN on data and SYN_STREAM frames. */
export const FLAG_FIN = 1;

/** One frame read off the connection. */
export type Frame = { control: true; type: number; flags: number; payload: Buffer } | { control: false; streamId: number; flags: number; payload: Buffer };

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function frameHeader(first: number, flags: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(first >>> 0, 0);
  b.writeUInt32BE(((flags & 0xff) << 24) | (length & 0xffffff), 4);
  return b;
}

/** The uncompressed name/value block: count, then length-prefixed lower-case names and values. */
export function headerBlock(headers: Record<string, string>): Buffer {
  const parts = [u32(Object.keys(headers).length)];
  for (const [k, v] of Object.entries(headers)) {
    const name = Buffer.from(k.toLowerCase());
    const value = Buffer.from(v);
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return Buffer.concat(parts);
}

/** Writes header blocks as one zlib stream of stored deflate blocks. */
export class HeaderCompressor {
  #started = false;

  /** The next compressed header block. */
  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.#started) {
      parts.push(Buffer.from([0x78, 0x01])); // zlib header: deflate, 32K window, no dictionary
      this.#started = true;
    }
    // a stored block holds at most 65535 bytes
    for (let off = 0; off === 0 || off < block.length; off += 0xffff) {
      const chunk = block.subarray(off, off + 0xffff);
      const head = Buffer.alloc(5); // BFINAL=0, BTYPE=00 (stored), LEN, NLEN
      head.writeUInt16LE(chunk.length, 1);
      head.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(head, chunk);
    }
    // an empty stored block, as a zlib sync flush ends: Go's inflater hands
    // out a block's bytes only once it has read the next block's header
    parts.push(Buffer.from([0, 0, 0, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/** A SYN_STREAM frame opening stream `id` with the given headers. */
export function synStream(id: number, headers: Record<string, string>, z: HeaderCompressor, flags = 0): Buffer {
  const payload = Buffer.concat([u32(id & 0x7fffffff), u32(0), Buffer.from([0, 0]), z.compress(headerBlock(headers))]);
  return Buffer.concat([frameHeader(0x80030000 | SYN_STREAM, flags, payload.length), payload]);
}

/** A data frame on stream `id` (FLAG_FIN closes our side). */
export function dataFrame(id: number, data: Buffer, flags = 0): Buffer {
  return Buffer.concat([frameHeader(id & 0x7fffffff, flags, data.length), data]);
}

/** A control frame echoed back as is (PING answers carry the same id). */
export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([frameHeader(0x80030000 | type, flags, payload.length), payload]);
}

/** Splits a byte stream into frames; feed it chunks as they arrive. */
export class FrameReader {
  #buf: Buffer = Buffer.alloc(0);

  /** Frames completed by this chunk. */
  push(chunk: Buffer): Frame[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.#buf.length >= 8) {
      const length = this.#buf.readUInt32BE(4) & 0xffffff;
      if (this.#buf.length < 8 + length) break;
      const first = this.#buf.readUInt32BE(0);
      const flags = this.#buf[4]!;
      const payload = this.#buf.subarray(8, 8 + length);
      frames.push(first & 0x80000000 ? { control: true, type: first & 0xffff, flags, payload } : { control: false, streamId: first & 0x7fffffff, flags, payload });
      this.#buf = this.#buf.subarray(8 + length);
    }
    return frames;
  }
}

/** What a session reports about one stream the client opened. */
export interface StreamHandlers {
  data?(payload: Buffer): void;
  /** the server closed its side (FIN) or reset the stream */
  end?(): void;
}

/**
 * A client session on an upgraded connection: streams get odd ids in
 * opening order; PINGs are answered; `closed` settles when the connection
 * ends or the server sends GOAWAY.
 */
export class SpdySession {
  readonly #socket: Socket;
  readonly #z = new HeaderCompressor();
  readonly #streams = new Map<number, StreamHandlers>();
  #next = 1;
  readonly closed: Promise<void>;

  constructor(socket: Socket) {
    this.#socket = socket;
    const reader = new FrameReader();
    this.closed = new Promise((resolve, reject) => {
      socket.on("data", (chunk: Buffer) => {
        for (const f of reader.push(chunk)) if (this.#frame(f)) resolve();
      });
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
  }

  /** Handles one frame; true when the server said GOAWAY. */
  #frame(f: Frame): boolean {
    if (!f.control) {
      const s = this.#streams.get(f.streamId);
      if (f.payload.length) s?.data?.(f.payload);
      if (f.flags & FLAG_FIN) s?.end?.();
      return false;
    }
    if (f.type === PING) this.#socket.write(controlFrame(PING, 0, f.payload));
    else if (f.type === RST_STREAM) this.#streams.get(f.payload.readUInt32BE(0) & 0x7fffffff)?.end?.();
    return f.type === GOAWAY;
  }

  /** Opens a stream with the given headers; returns its id. */
  open(headers: Record<string, string>, handlers: StreamHandlers = {}): number {
    const id = this.#next;
    this.#next += 2;
    this.#streams.set(id, handlers);
    this.#socket.write(synStream(id, headers, this.#z));
    return id;
  }

  /** Sends data on a stream; fin closes our side. */
  write(id: number, data: Buffer, fin = false): void {
    if (!this.#socket.destroyed) this.#socket.write(dataFrame(id, data, fin ? FLAG_FIN : 0));
  }

  /** Drops the connection. */
  destroy(): void {
    this.#socket.destroy();
  }
}
