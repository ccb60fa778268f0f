/**
 * A small gRPC server over node:http2: unary and bidirectional-streaming
 * methods with protobufjs messages. It costs far less per call than grpc-js,
 * and, being a plain http2.Server, it accepts connections handed to it (the
 * unix socket front that repairs etcdctl's :authority uses that).
 */
import { createServer, constants, type Http2Server, type ServerHttp2Session, type ServerHttp2Stream, type IncomingHttpHeaders } from "node:http2";
import type { Duplex } from "node:stream";
import { outputGate, type OutputGate } from "./connection.ts";
import type protobuf from "protobufjs";

const sessionConn = new WeakMap<ServerHttp2Session, Duplex>();

/** gRPC status codes used here */
export const Status = {
  OK: 0,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  FAILED_PRECONDITION: 9,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
} as const;

/** An error carrying a gRPC status. */
export interface StatusError {
  code: number;
  message: string;
}

/** A bidirectional call as a handler sees it. */
export interface DuplexCall<Req, Res> {
  on(event: "data", fn: (req: Req) => void): this;
  on(event: "end" | "cancelled", fn: () => void): this;
  on(event: "error", fn: (err: Error) => void): this;
  write(res: Res): void;
  end(): void;
  /** ends the call with an error status */
  destroy(err?: StatusError): void;
}

/** One method of a service. */
export type Method =
  | { kind: "unary"; request: protobuf.Type; response: protobuf.Type; handle(req: never): Promise<unknown> }
  | { kind: "bidi"; request: protobuf.Type; response: protobuf.Type; handle(call: DuplexCall<unknown, unknown>): void };

/** Options of GrpcServer. */
export interface GrpcServerOptions {
  /** largest request message accepted */
  maxMessageBytes: number;
  /** maps a handler's error to a status */
  toStatus(err: unknown): StatusError;
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, oneofs: true };

function frame(type: protobuf.Type, msg: unknown): Buffer {
  const body = type.encode(type.fromObject(msg as Record<string, unknown>)).finish();
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = 0;
  out.writeUInt32BE(body.length, 1);
  out.set(body, 5);
  return out;
}

/** gRPC's percent-encoding of grpc-message */
function encodeMessage(msg: string): string {
  return msg.replace(/[^\x20-\x24\x26-\x7e]/g, (c) => encodeURIComponent(c));
}

/** splits a gRPC message stream into messages */
class Deframer {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private max: number) {}

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.buf.length >= 5) {
      if (this.buf[0] !== 0) throw { code: Status.UNIMPLEMENTED, message: "compressed messages are not supported" } satisfies StatusError;
      const len = this.buf.readUInt32BE(1);
      if (len > this.max) throw { code: Status.RESOURCE_EXHAUSTED, message: `grpc: received message larger than max (${len} vs. ${this.max})` } satisfies StatusError;
      if (this.buf.length < 5 + len) break;
      out.push(this.buf.subarray(5, 5 + len));
      this.buf = this.buf.subarray(5 + len);
    }
    return out;
  }
}

type Listener = (arg?: unknown) => void;

class StreamCall implements DuplexCall<unknown, unknown> {
  private headersSent = false;
  private done = false;
  private listeners = new Map<string, Listener[]>();

  constructor(
    private stream: ServerHttp2Stream,
    private method: Method,
    private gate?: OutputGate,
  ) {}

  on(event: string, fn: (arg: never) => void): this {
    const list = this.listeners.get(event) ?? [];
    list.push(fn as Listener);
    this.listeners.set(event, list);
    return this;
  }

  emit(event: string, arg?: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) fn(arg);
  }

  private sendHeaders(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.stream.respond({ [constants.HTTP2_HEADER_STATUS]: 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  }

  write(res: unknown): void {
    if (this.done || this.stream.destroyed) return;
    this.sendHeaders();
    this.stream.write(frame(this.method.response, res));
  }

  end(): void {
    this.finish({ code: Status.OK, message: "" });
  }

  /** the one response of a unary call: its last data and its end go down together, so trailers follow at once */
  reply(res: unknown): void {
    if (this.done || this.stream.destroyed) return;
    this.done = true;
    this.sendHeaders();
    // hold the connection's output so headers, data and trailers leave in one write
    const gate = this.gate;
    let held = false;
    const release = () => {
      if (held) gate?.release();
      held = false;
    };
    if (gate) {
      gate.hold();
      held = true;
      this.stream.once("close", release);
    }
    this.stream.once("wantTrailers", () => {
      this.stream.sendTrailers({ "grpc-status": "0" });
      setImmediate(release);
    });
    this.stream.end(frame(this.method.response, res));
  }

  destroy(err?: StatusError): void {
    this.finish(err ?? { code: Status.UNKNOWN, message: "call destroyed" });
  }

  finish(status: StatusError): void {
    if (this.done || this.stream.destroyed) return;
    this.done = true;
    const trailers = { "grpc-status": String(status.code), ...(status.message ? { "grpc-message": encodeMessage(status.message) } : {}) };
    if (!this.headersSent) {
      this.headersSent = true;
      this.stream.respond({ [constants.HTTP2_HEADER_STATUS]: 200, "content-type": "application/grpc", ...trailers }, { endStream: true });
      return;
    }
    this.stream.once("wantTrailers", () => this.stream.sendTrailers(trailers));
    this.stream.end();
  }
}

/** serves registered methods (by path /package.Service/Method) on an http2 server */
export class GrpcServer {
  readonly http2: Http2Server;
  private methods = new Map<string, Method>();
  /** the wrapped connection being handed to the http2 server right now */
  private accepting?: Duplex;

  constructor(private opts: GrpcServerOptions) {
    this.http2 = createServer({ maxSessionMemory: 64 });
    this.http2.on("stream", (stream, headers) => this.onStream(stream, headers));
    this.http2.on("sessionError", () => undefined);
    this.http2.on("session", (session) => {
      if (this.accepting) sessionConn.set(session, this.accepting);
    });
  }

  /** registers a method under its full path */
  add(path: string, method: Method): void {
    this.methods.set(path, method);
  }

  /** serves a connection accepted elsewhere */
  accept(socket: Duplex): void {
    this.accepting = socket;
    try {
      this.http2.emit("connection", socket);
    } finally {
      this.accepting = undefined;
    }
  }

  private onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on("error", () => undefined);
    const method = this.methods.get(String(headers[constants.HTTP2_HEADER_PATH]));
    if (!method) {
      stream.respond(
        { [constants.HTTP2_HEADER_STATUS]: 200, "content-type": "application/grpc", "grpc-status": String(Status.UNIMPLEMENTED), "grpc-message": "unknown method" },
        { endStream: true },
      );
      return;
    }
    const conn = sessionConn.get(stream.session as ServerHttp2Session);
    const call = new StreamCall(stream, method, conn ? outputGate(conn) : undefined);
    const deframer = new Deframer(this.opts.maxMessageBytes);
    const fail = (err: unknown) => call.finish(this.opts.toStatus(err));
    const decode = (buf: Buffer) => method.request.toObject(method.request.decode(buf), TO_OBJECT) as never;
    if (method.kind === "unary") {
      const parts: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => parts.push(chunk));
      stream.on("end", () => {
        try {
          const msgs = deframer.push(Buffer.concat(parts));
          if (msgs.length !== 1) throw { code: Status.INTERNAL, message: `expected one request message, got ${msgs.length}` } satisfies StatusError;
          method.handle(decode(msgs[0])).then((res) => call.reply(res), fail);
        } catch (err) {
          fail(err);
        }
      });
      return;
    }
    stream.on("data", (chunk: Buffer) => {
      try {
        for (const m of deframer.push(chunk)) call.emit("data", decode(m));
      } catch (err) {
        fail(err);
      }
    });
    stream.on("end", () => call.emit("end"));
    stream.on("close", () => call.emit("cancelled"));
    stream.on("aborted", () => call.emit("cancelled"));
    method.handle(call);
  }

  close(): void {
    this.http2.close();
  }
}
