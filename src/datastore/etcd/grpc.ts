/**
 * A small gRPC server over our own HTTP/2 transport (h2.ts): unary and
 * bidirectional-streaming methods with protobufjs messages. It costs far less
 * per call than grpc-js or node:http2, and a unary response (headers, message,
 * trailers) leaves in one socket write.
 */
import type { Socket } from "node:net";
import type protobuf from "protobufjs";
import { H2Connection, type H2Stream } from "./h2.ts";
import { encodeHeaders, type HeaderMap } from "./hpack.ts";

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

const RESPONSE_HEADERS: readonly [string, string][] = [
  [":status", "200"],
  ["content-type", "application/grpc"],
];
/** the header blocks of every successful call, encoded once */
const RESPONSE_BLOCK = encodeHeaders(RESPONSE_HEADERS);
const OK_TRAILERS = encodeHeaders([["grpc-status", "0"]]);
/** grpc-message is cut so a trailer block fits in one frame */
const MAX_STATUS_MESSAGE = 4096;

function statusFields(status: StatusError): [string, string][] {
  const fields: [string, string][] = [["grpc-status", String(status.code)]];
  if (status.message) fields.push(["grpc-message", encodeMessage(status.message.slice(0, MAX_STATUS_MESSAGE))]);
  return fields;
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
    private stream: H2Stream,
    private method: Method,
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
    this.stream.respond(RESPONSE_BLOCK);
  }

  write(res: unknown): void {
    if (this.done || this.stream.closed) return;
    this.sendHeaders();
    this.stream.write(frame(this.method.response, res));
  }

  end(): void {
    this.finish({ code: Status.OK, message: "" });
  }

  /** the one response of a unary call: headers, message and trailers are queued in the same turn */
  reply(res: unknown): void {
    if (this.done || this.stream.closed) return;
    this.done = true;
    this.sendHeaders();
    this.stream.write(frame(this.method.response, res));
    this.stream.end(OK_TRAILERS);
  }

  destroy(err?: StatusError): void {
    this.finish(err ?? { code: Status.UNKNOWN, message: "call destroyed" });
  }

  finish(status: StatusError): void {
    if (this.done || this.stream.closed) return;
    this.done = true;
    if (this.headersSent) {
      this.stream.end(status.code === Status.OK && !status.message ? OK_TRAILERS : encodeHeaders(statusFields(status)));
      return;
    }
    // trailers-only: the status rides on the response headers
    this.headersSent = true;
    this.stream.endWithHeaders(encodeHeaders([...RESPONSE_HEADERS, ...statusFields(status)]));
  }
}

/** serves registered methods (by path /package.Service/Method) on the connections handed to it */
export class GrpcServer {
  private methods = new Map<string, Method>();
  private connections = new Set<H2Connection>();

  constructor(private opts: GrpcServerOptions) {}

  /** registers a method under its full path */
  add(path: string, method: Method): void {
    this.methods.set(path, method);
  }

  /** serves a connection accepted elsewhere */
  accept(socket: Socket): void {
    const conn = new H2Connection(socket, (stream, headers) => this.onStream(stream, headers));
    this.connections.add(conn);
    socket.once("close", () => this.connections.delete(conn));
  }

  private onStream(stream: H2Stream, headers: HeaderMap): void {
    const method = this.methods.get(headers.get(":path") ?? "");
    if (!method) {
      stream.endWithHeaders(encodeHeaders([...RESPONSE_HEADERS, ...statusFields({ code: Status.UNIMPLEMENTED, message: "unknown method" })]));
      return;
    }
    const call = new StreamCall(stream, method);
    const deframer = new Deframer(this.opts.maxMessageBytes);
    const fail = (err: unknown) => call.finish(this.opts.toStatus(err));
    const decode = (buf: Buffer) => method.request.toObject(method.request.decode(buf), TO_OBJECT) as never;
    if (method.kind === "unary") {
      const parts: Buffer[] = [];
      stream.events = {
        data: (chunk) => parts.push(chunk),
        end: () => {
          try {
            const msgs = deframer.push(parts.length === 1 ? parts[0] : Buffer.concat(parts));
            if (msgs.length !== 1) throw { code: Status.INTERNAL, message: `expected one request message, got ${msgs.length}` } satisfies StatusError;
            method.handle(decode(msgs[0])).then((res) => call.reply(res), fail);
          } catch (err) {
            fail(err);
          }
        },
        close: () => undefined,
      };
      return;
    }
    stream.events = {
      data: (chunk) => {
        try {
          for (const m of deframer.push(chunk)) call.emit("data", decode(m));
        } catch (err) {
          fail(err);
        }
      },
      end: () => call.emit("end"),
      close: () => call.emit("cancelled"),
    };
    method.handle(call);
  }

  /** ends every connection (GOAWAY); their streams end as cancelled */
  close(): void {
    for (const c of this.connections) c.close();
    this.connections.clear();
  }
}
