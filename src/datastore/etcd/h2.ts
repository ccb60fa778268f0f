/**
 * The server side of HTTP/2 (RFC 9113) as gRPC needs it, straight on a
 * socket: frames, HPACK, flow control, ping, reset, goaway. node:http2 spends
 * more CPU per call than the whole SQLite write, and sends a unary response's
 * trailers a turn after its data (two socket writes, two client wake-ups).
 * Here each stream is a small object and a connection's output is written
 * once per event-loop turn. No push, no priorities, no client role.
 */
import type { Socket } from "node:net";
import { HpackDecoder, HpackError, type HeaderMap } from "./hpack.ts";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

const DATA = 0x0;
const HEADERS = 0x1;
const RST_STREAM = 0x3;
const SETTINGS = 0x4;
const PING = 0x6;
const GOAWAY = 0x7;
const WINDOW_UPDATE = 0x8;
const CONTINUATION = 0x9;

const END_STREAM = 0x1;
const ACK = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;

const NO_ERROR = 0x0;
const PROTOCOL_ERROR = 0x1;
const FLOW_CONTROL_ERROR = 0x3;
const FRAME_SIZE_ERROR = 0x6;
const REFUSED_STREAM = 0x7;
const COMPRESSION_ERROR = 0x9;

const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
const SETTINGS_MAX_FRAME_SIZE = 0x5;

/** largest frame payload accepted (the protocol default, so nothing to announce) */
const MAX_FRAME = 16384;
/** each stream's receive window: a request (at most ~2 MiB) never waits for a window update */
const STREAM_WINDOW = 4 << 20;
/** the connection's receive window, topped up when a quarter is used */
const CONNECTION_WINDOW = 16 << 20;
const DEFAULT_WINDOW = 65535;
/** bound on a request's header block, against memory abuse */
const MAX_HEADER_BLOCK = 64 << 10;

/** A connection-level failure: GOAWAY with the code, then close. */
class ConnectionError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a stream tells its user. */
export interface StreamEvents {
  data(chunk: Buffer): void;
  /** the client finished sending */
  end(): void;
  /** the stream is gone: completed, reset by the client, or its connection closed */
  close(): void;
}

/** One request stream. */
export class H2Stream {
  events?: StreamEvents;
  /** bytes the peer lets us send */
  sendWindow: number;
  remoteEnded = false;
  localEnded = false;
  closed = false;
  /** DATA payloads waiting for flow-control window */
  queued: Buffer[] = [];
  /** the trailer block to send once queued data is out */
  trailers?: Buffer;
  /** received bytes not yet given back with WINDOW_UPDATE */
  unacked = 0;

  constructor(
    readonly id: number,
    private conn: H2Connection,
    window: number,
  ) {
    this.sendWindow = window;
  }

  /** sends response headers (a block from hpack.encodeHeaders) */
  respond(block: Buffer): void {
    this.conn.sendHeaders(this, block, false);
  }

  /** sends data, as the flow-control windows allow */
  write(data: Buffer): void {
    if (this.localEnded || this.closed) return;
    this.queued.push(data);
    this.conn.pump(this);
  }

  /** sends the trailers after any queued data and ends the stream */
  end(trailers: Buffer): void {
    if (this.localEnded || this.closed) return;
    this.localEnded = true;
    this.trailers = trailers;
    this.conn.pump(this);
  }

  /** a headers-only response that ends the stream at once (gRPC's trailers-only form) */
  endWithHeaders(block: Buffer): void {
    if (this.localEnded || this.closed) return;
    this.localEnded = true;
    this.conn.sendHeaders(this, block, true);
  }
}

/** Called for each new stream with its request headers; set stream.events before returning. */
export type StreamHandler = (stream: H2Stream, headers: HeaderMap) => void;

/** One client connection. */
export class H2Connection {
  private streams = new Map<number, H2Stream>();
  private decoder = new HpackDecoder();
  private input: Buffer = Buffer.alloc(0);
  private prefaceSeen = false;
  private lastStreamId = 0;
  /** a header block being continued: stream id, flags of its HEADERS frame, fragments */
  private partial?: { id: number; flags: number; parts: Buffer[]; size: number };
  private output: Buffer[] = [];
  private flushScheduled = false;
  private peerWindow = DEFAULT_WINDOW;
  private peerMaxFrame = MAX_FRAME;
  private sendWindow = DEFAULT_WINDOW;
  private recvUnacked = 0;
  /** streams holding data back for lack of window */
  private blocked = new Set<H2Stream>();
  private closing = false;

  constructor(
    private socket: Socket,
    private onStream: StreamHandler,
  ) {
    socket.setNoDelay(true);
    // our settings: a larger stream window; then widen the connection window beyond its fixed 65535 start
    const settings = Buffer.alloc(6);
    settings.writeUInt16BE(SETTINGS_INITIAL_WINDOW_SIZE, 0);
    settings.writeUInt32BE(STREAM_WINDOW, 2);
    this.frame(SETTINGS, 0, 0, settings);
    this.frame(WINDOW_UPDATE, 0, 0, u32(CONNECTION_WINDOW - DEFAULT_WINDOW));
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.closeStreams());
  }

  /** sends GOAWAY and closes the connection; streams end as cancelled */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    const goaway = Buffer.alloc(8);
    goaway.writeUInt32BE(this.lastStreamId, 0);
    this.frame(GOAWAY, 0, 0, goaway);
    this.flush();
    this.socket.end();
    this.closeStreams();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private receive(chunk: Buffer): void {
    let buf = this.input.length ? Buffer.concat([this.input, chunk]) : chunk;
    try {
      if (!this.prefaceSeen) {
        if (buf.length < PREFACE.length) {
          this.input = buf;
          return;
        }
        if (!buf.subarray(0, PREFACE.length).equals(PREFACE)) throw new ConnectionError(PROTOCOL_ERROR, "not an http/2 connection preface");
        this.prefaceSeen = true;
        buf = buf.subarray(PREFACE.length);
      }
      let off = 0;
      while (buf.length - off >= 9) {
        const len = buf.readUIntBE(off, 3);
        if (len > MAX_FRAME) throw new ConnectionError(FRAME_SIZE_ERROR, `frame of ${len} bytes`);
        if (buf.length - off < 9 + len) break;
        const id = buf.readUInt32BE(off + 5) & 0x7fffffff;
        this.onFrame(buf[off + 3], buf[off + 4], id, buf.subarray(off + 9, off + 9 + len));
        off += 9 + len;
      }
      this.input = off === buf.length ? Buffer.alloc(0) : buf.subarray(off);
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    const code = err instanceof ConnectionError ? err.code : err instanceof HpackError ? COMPRESSION_ERROR : PROTOCOL_ERROR;
    const goaway = Buffer.alloc(8);
    goaway.writeUInt32BE(this.lastStreamId, 0);
    goaway.writeUInt32BE(code, 4);
    this.frame(GOAWAY, 0, 0, goaway);
    this.flush();
    this.socket.end();
    this.closeStreams();
  }

  private onFrame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.partial && type !== CONTINUATION) throw new ConnectionError(PROTOCOL_ERROR, `frame type ${type} inside a header block`);
    switch (type) {
      case DATA:
        return this.onData(id, flags, payload);
      case HEADERS:
        return this.onHeadersFrame(id, flags, payload);
      case CONTINUATION:
        return this.onContinuation(id, flags, payload);
      case RST_STREAM:
        return this.onReset(id);
      case SETTINGS:
        return this.onSettings(id, flags, payload);
      case PING:
        if (payload.length !== 8) throw new ConnectionError(FRAME_SIZE_ERROR, `ping of ${payload.length} bytes`);
        if (!(flags & ACK)) this.frame(PING, ACK, 0, Buffer.from(payload));
        return;
      case WINDOW_UPDATE:
        return this.onWindowUpdate(id, payload);
      default:
        // PRIORITY, GOAWAY (streams already open may finish) and unknown types need nothing
        return;
    }
  }

  private onHeadersFrame(id: number, flags: number, payload: Buffer): void {
    let start = 0;
    let end = payload.length;
    if (flags & PADDED) {
      end -= payload[0];
      start = 1;
    }
    if (flags & PRIORITY) start += 5;
    if (start > end) throw new ConnectionError(PROTOCOL_ERROR, `bad padding on stream ${id}`);
    const fragment = payload.subarray(start, end);
    if (flags & END_HEADERS) return this.onHeaders(id, flags, fragment);
    this.partial = { id, flags, parts: [fragment], size: fragment.length };
  }

  private onContinuation(id: number, flags: number, payload: Buffer): void {
    const p = this.partial;
    if (!p || p.id !== id) throw new ConnectionError(PROTOCOL_ERROR, `unexpected continuation on stream ${id}`);
    p.parts.push(payload);
    p.size += payload.length;
    if (p.size > MAX_HEADER_BLOCK) throw new ConnectionError(PROTOCOL_ERROR, `header block of over ${p.size} bytes`);
    if (!(flags & END_HEADERS)) return;
    this.partial = undefined;
    this.onHeaders(id, p.flags, Buffer.concat(p.parts));
  }

  private onHeaders(id: number, flags: number, block: Buffer): void {
    // decoded even for a refused stream: the decoder's table must follow the client's
    const headers = this.decoder.decode(block);
    const existing = this.streams.get(id);
    if (existing) {
      // trailers from the client: only their END_STREAM matters to gRPC
      if (flags & END_STREAM) this.remoteEnd(existing);
      return;
    }
    if (id % 2 === 0) throw new ConnectionError(PROTOCOL_ERROR, `headers on even stream ${id}`);
    // late trailers of a stream this side already ended and forgot
    if (id <= this.lastStreamId) return;
    this.lastStreamId = id;
    if (this.closing) {
      this.frame(RST_STREAM, 0, id, u32(REFUSED_STREAM));
      return;
    }
    const stream = new H2Stream(id, this, this.peerWindow);
    this.streams.set(id, stream);
    this.onStream(stream, headers);
    if (flags & END_STREAM) this.remoteEnd(stream);
  }

  private onData(id: number, flags: number, payload: Buffer): void {
    if (id === 0) throw new ConnectionError(PROTOCOL_ERROR, "data on stream 0");
    let data = payload;
    if (flags & PADDED) {
      if (payload.length < 1 || payload[0] >= payload.length) throw new ConnectionError(PROTOCOL_ERROR, `bad padding on stream ${id}`);
      data = payload.subarray(1, payload.length - payload[0]);
    }
    // the whole frame counts against both windows, padding included
    this.recvUnacked += payload.length;
    if (this.recvUnacked >= CONNECTION_WINDOW / 4) {
      this.frame(WINDOW_UPDATE, 0, 0, u32(this.recvUnacked));
      this.recvUnacked = 0;
    }
    const stream = this.streams.get(id);
    if (!stream || stream.remoteEnded) {
      if (id > this.lastStreamId) throw new ConnectionError(PROTOCOL_ERROR, `data on idle stream ${id}`);
      return;
    }
    stream.unacked += payload.length;
    if (stream.unacked > STREAM_WINDOW) throw new ConnectionError(FLOW_CONTROL_ERROR, `stream ${id} sent past its window`);
    if (stream.unacked >= STREAM_WINDOW / 2 && !(flags & END_STREAM)) {
      this.frame(WINDOW_UPDATE, 0, id, u32(stream.unacked));
      stream.unacked = 0;
    }
    if (data.length) stream.events?.data(data);
    if (flags & END_STREAM) this.remoteEnd(stream);
  }

  private remoteEnd(stream: H2Stream): void {
    if (stream.remoteEnded) return;
    stream.remoteEnded = true;
    stream.events?.end();
    if (stream.localEnded && !stream.queued.length && !stream.trailers) this.remove(stream);
  }

  private onReset(id: number): void {
    const stream = this.streams.get(id);
    if (stream) this.remove(stream);
  }

  private onSettings(id: number, flags: number, payload: Buffer): void {
    if (id !== 0) throw new ConnectionError(PROTOCOL_ERROR, `settings on stream ${id}`);
    if (flags & ACK) return;
    if (payload.length % 6 !== 0) throw new ConnectionError(FRAME_SIZE_ERROR, `settings of ${payload.length} bytes`);
    for (let off = 0; off < payload.length; off += 6) {
      const key = payload.readUInt16BE(off);
      const value = payload.readUInt32BE(off + 2);
      if (key === SETTINGS_INITIAL_WINDOW_SIZE) {
        if (value > 0x7fffffff) throw new ConnectionError(FLOW_CONTROL_ERROR, `initial window ${value}`);
        const delta = value - this.peerWindow;
        this.peerWindow = value;
        for (const s of this.streams.values()) s.sendWindow += delta;
      } else if (key === SETTINGS_MAX_FRAME_SIZE) {
        if (value < MAX_FRAME || value > 0xffffff) throw new ConnectionError(PROTOCOL_ERROR, `max frame size ${value}`);
        this.peerMaxFrame = value;
      }
    }
    this.frame(SETTINGS, ACK, 0, Buffer.alloc(0));
    this.pumpBlocked();
  }

  private onWindowUpdate(id: number, payload: Buffer): void {
    if (payload.length !== 4) throw new ConnectionError(FRAME_SIZE_ERROR, `window update of ${payload.length} bytes`);
    const inc = payload.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) {
      this.sendWindow += inc;
      this.pumpBlocked();
      return;
    }
    const stream = this.streams.get(id);
    if (!stream) return;
    stream.sendWindow += inc;
    this.pump(stream);
  }

  private pumpBlocked(): void {
    const streams = [...this.blocked];
    this.blocked.clear();
    for (const s of streams) this.pump(s);
  }

  /** sends a stream's queued data as far as the windows allow, then its trailers */
  pump(stream: H2Stream): void {
    if (stream.closed) return;
    while (stream.queued.length) {
      const allowed = Math.min(stream.sendWindow, this.sendWindow, this.peerMaxFrame);
      const head = stream.queued[0];
      if (allowed <= 0 && head.length > 0) {
        this.blocked.add(stream);
        return;
      }
      const part = head.length <= allowed ? head : head.subarray(0, allowed);
      if (part.length === head.length) stream.queued.shift();
      else stream.queued[0] = head.subarray(allowed);
      stream.sendWindow -= part.length;
      this.sendWindow -= part.length;
      this.frame(DATA, 0, stream.id, part);
    }
    if (stream.trailers) {
      const block = stream.trailers;
      stream.trailers = undefined;
      this.sendHeaders(stream, block, true);
    }
  }

  /** queues a header block (HEADERS, then CONTINUATION frames if it is large) */
  sendHeaders(stream: H2Stream, block: Buffer, endStream: boolean): void {
    if (stream.closed) return;
    const max = this.peerMaxFrame;
    const first = block.subarray(0, max);
    this.frame(HEADERS, (endStream ? END_STREAM : 0) | (block.length <= max ? END_HEADERS : 0), stream.id, first);
    for (let off = max; off < block.length; off += max) {
      this.frame(CONTINUATION, off + max >= block.length ? END_HEADERS : 0, stream.id, block.subarray(off, off + max));
    }
    if (!endStream) return;
    // a response complete before the request: tell the client to stop sending
    if (!stream.remoteEnded) this.frame(RST_STREAM, 0, stream.id, u32(NO_ERROR));
    this.remove(stream);
  }

  private remove(stream: H2Stream): void {
    if (stream.closed) return;
    stream.closed = true;
    stream.queued = [];
    this.streams.delete(stream.id);
    this.blocked.delete(stream);
    stream.events?.close();
  }

  private closeStreams(): void {
    for (const s of [...this.streams.values()]) this.remove(s);
  }

  private frame(type: number, flags: number, id: number, payload: Buffer): void {
    this.output.push(frameHeader(type, flags, id, payload.length), payload);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // everything queued in this turn (many responses, their trailers) leaves in one write
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.socket.destroyed) this.output = [];
    if (!this.output.length) return;
    const data = Buffer.concat(this.output);
    this.output = [];
    this.socket.write(data);
  }
}

/** the 9-byte header of a frame */
export function frameHeader(type: number, flags: number, id: number, length: number): Buffer {
  const head = Buffer.allocUnsafe(9);
  head.writeUIntBE(length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(id, 5);
  return head;
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n, 0);
  return b;
}
