/**
 * The client half of gRPC over node:http2, as etcd's Go client speaks it:
 * length-prefixed messages, the status in the trailers (or in the headers of
 * a trailers-only answer), unary calls and bidirectional streams.
 */
import { constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from "node:http2";

/** the gRPC status codes this client acts on */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  UNAVAILABLE: 14,
} as const;

/** A call that ended with a non-OK gRPC status (or never reached the server). */
export class GrpcCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** true when the request surely did not reach the server (safe to send elsewhere) */
    readonly notSent = false,
  ) {
    super(message);
  }
}

/** one message with gRPC's 5-byte prefix (uncompressed) */
export function frame(body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = 0;
  out.writeUInt32BE(body.length, 1);
  out.set(body, 5);
  return out;
}

/** reassembles the messages of a response stream from its data chunks */
export class MessageReader {
  private chunks: Buffer[] = [];
  private size = 0;
  /** length of the message being collected, prefix included; -1 until its prefix has arrived */
  private need = -1;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.need < 0) {
        if (this.size < 5) break;
        if (this.chunks[0].length < 5) this.chunks = [Buffer.concat(this.chunks, this.size)];
        const head = this.chunks[0];
        if (head[0] !== 0) throw new GrpcCallError(Code.UNKNOWN, "etcd sent a compressed message, which this client did not ask for");
        this.need = 5 + head.readUInt32BE(1);
      }
      // joined once the whole message is here: a large range arrives in many chunks, and joining on each would be quadratic
      if (this.size < this.need) break;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
      out.push(all.subarray(5, this.need));
      const rest = all.subarray(this.need);
      this.chunks = rest.length ? [rest] : [];
      this.size = rest.length;
      this.need = -1;
    }
    return out;
  }
}

/** the status a response's headers or trailers carry, undefined when they carry none */
export function statusOf(headers: IncomingHttpHeaders): GrpcCallError | null | undefined {
  const raw = headers["grpc-status"];
  if (raw === undefined) return undefined;
  const code = Number(raw);
  if (code === Code.OK) return null;
  const msg = headers["grpc-message"];
  const text = typeof msg === "string" ? safeDecode(msg) : `grpc status ${code}`;
  return new GrpcCallError(code, text);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Callbacks of a bidirectional stream. */
export interface StreamHandlers {
  message(body: Buffer): void;
  /** the stream is over: undefined = ended cleanly with status OK */
  close(err?: GrpcCallError): void;
}

/** A bidirectional call in progress. */
export interface ClientStream {
  send(body: Uint8Array): void;
  /** half-closes (no more requests) */
  end(): void;
  /** abandons the call; close is not called after this */
  cancel(): void;
}

/** Options of a call. */
export interface CallOptions {
  /** grpc-timeout sent to the server and enforced here; 0 = none */
  timeoutMs?: number;
}

function openCall(session: ClientHttp2Session, path: string, opts: CallOptions): ClientHttp2Stream {
  const headers: Record<string, string> = {
    [constants.HTTP2_HEADER_METHOD]: "POST",
    [constants.HTTP2_HEADER_PATH]: path,
    "content-type": "application/grpc",
    te: "trailers",
  };
  if (opts.timeoutMs) headers["grpc-timeout"] = `${Math.ceil(opts.timeoutMs)}m`;
  if (session.closed || session.destroyed) throw new GrpcCallError(Code.UNAVAILABLE, "connection to etcd closed", true);
  return session.request(headers);
}

/**
 * runs a bidirectional call; every message and the final status go to the
 * handlers. A transport failure ends it with UNAVAILABLE.
 */
export function openStream(session: ClientHttp2Session, path: string, handlers: StreamHandlers, opts: CallOptions = {}): ClientStream {
  const stream = openCall(session, path, opts);
  const reader = new MessageReader();
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const finish = (err?: GrpcCallError) => {
    if (done) return;
    done = true;
    if (timer) clearTimeout(timer);
    if (!stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    handlers.close(err);
  };
  if (opts.timeoutMs) timer = setTimeout(() => finish(new GrpcCallError(Code.DEADLINE_EXCEEDED, `etcd did not answer ${path} within ${opts.timeoutMs} ms`)), opts.timeoutMs);
  // the status comes in the trailers (or the headers of a trailers-only answer); the call ends once every message was read
  let status: GrpcCallError | null | undefined;
  stream.on("response", (headers) => (status ??= statusOf(headers)));
  stream.on("trailers", (trailers) => (status ??= statusOf(trailers)));
  stream.on("data", (chunk: Buffer) => {
    try {
      for (const m of reader.push(chunk)) if (!done) handlers.message(m);
    } catch (err) {
      finish(err as GrpcCallError);
    }
  });
  const ended = () => {
    if (status !== undefined) finish(status ?? undefined);
    // closed without a status: the connection went away under it
    else finish(new GrpcCallError(Code.UNAVAILABLE, `etcd stream ${path} closed without a status (code ${stream.rstCode})`, stream.rstCode === constants.NGHTTP2_REFUSED_STREAM));
  };
  stream.on("end", ended);
  stream.on("close", ended);
  stream.on("error", (err) => finish(new GrpcCallError(Code.UNAVAILABLE, `etcd stream ${path}: ${err.message}`, sentNothing(err))));
  return {
    send: (body) => {
      if (!done) stream.write(frame(body));
    },
    end: () => {
      if (!done) stream.end();
    },
    cancel: () => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      stream.close(constants.NGHTTP2_CANCEL);
    },
  };
}

/** a refused stream or a GOAWAY before processing means the server never saw the request */
function sentNothing(err: Error & { code?: string }): boolean {
  return err.code === "ERR_HTTP2_STREAM_CANCEL" || /REFUSED_STREAM|GOAWAY/i.test(err.message);
}

/** sends one request and resolves with the one response message */
export function unaryCall(session: ClientHttp2Session, path: string, body: Uint8Array, opts: CallOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let reply: Buffer | undefined;
    const call = openStream(
      session,
      path,
      {
        message: (m) => (reply = m),
        close: (err) => {
          if (err) reject(err);
          else if (!reply) reject(new GrpcCallError(Code.UNKNOWN, `etcd answered ${path} with no message`));
          else resolve(reply);
        },
      },
      opts,
    );
    call.send(body);
    call.end();
  });
}
