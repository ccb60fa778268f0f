/**
 * A remotecommand (v4.channel.k8s.io) client for the CRI streaming URL, as
 * crictl's exec uses it: over SPDY/3.1 (crictl's default; stdin can be
 * half-closed, so piped input ends) or over websocket (channel byte first:
 * 0 stdin, 1 stdout, 2 stderr, 3 Status, 4 resize; no stdin close in v4).
 * Resolves to the command's exit code.
 */
import { request } from "node:http";
import type { Socket } from "node:net";
import WebSocket from "ws";
import type { CrictlIo } from "./context.ts";
import { controlFrame, dataFrame, FLAG_FIN, FrameReader, GOAWAY, HeaderCompressor, PING, RST_STREAM, synStream } from "./spdy.ts";

/** What a stream session carries. */
export interface StreamOptions {
  stdin: boolean;
  tty: boolean;
  io: CrictlIo;
}

type Status = { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };

/** The exit code a remotecommand Status carries (0 on Success); other failures throw. */
export function statusExitCode(status: Status): number {
  if (status.status === "Success") return 0;
  const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
  if (status.reason === "NonZeroExitCode" && cause?.message) return Number(cause.message);
  throw new Error(status.message || "exec failed");
}

function exitCodeOf(errorStream: Buffer): number {
  return errorStream.length ? statusExitCode(JSON.parse(errorStream.toString()) as Status) : 0;
}

/** Feeds stdin (raw mode on a terminal) and terminal sizes to a sender; returns the undo. */
function attachInput(o: StreamOptions, send: { data(b: Buffer): void; end(): void; resize(w: number, h: number): void }): () => void {
  const stdin = o.io.stdin;
  const raw = o.tty && stdin.isTTY && stdin.setRawMode;
  if (raw) stdin.setRawMode!(true);
  const onData = (d: Buffer | string): void => send.data(Buffer.from(d));
  const onEnd = (): void => send.end();
  if (o.stdin) {
    stdin.on("data", onData);
    stdin.on("end", onEnd);
  }
  const sendSize = (): void => {
    const size = o.io.termSize?.();
    if (size) send.resize(size.width, size.height);
  };
  if (o.tty) {
    sendSize();
    process.stdout.on("resize", sendSize);
  }
  return () => {
    stdin.off("data", onData);
    stdin.off("end", onEnd);
    if (o.stdin) stdin.pause();
    if (raw) stdin.setRawMode!(false);
    process.stdout.off("resize", sendSize);
  };
}

/** Runs the session over websocket. */
export async function streamWebsocket(url: string, o: StreamOptions): Promise<number> {
  const ws = new WebSocket(url.replace(/^http/, "ws"), ["v4.channel.k8s.io"]);
  const errors: Buffer[] = [];
  let undo = (): void => {};
  const send = (channel: number, b: Buffer): void => void (ws.readyState === WebSocket.OPEN && ws.send(Buffer.concat([Buffer.from([channel]), b])));
  ws.on("open", () => {
    undo = attachInput(o, { data: (b) => send(0, b), end: () => {}, resize: (w, h) => send(4, Buffer.from(JSON.stringify({ Width: w, Height: h }))) });
  });
  ws.on("message", (data: Buffer) => {
    const body = data.subarray(1);
    if (data[0] === 1) o.io.out(body.toString());
    else if (data[0] === 2) o.io.err(body.toString());
    else if (data[0] === 3) errors.push(body);
  });
  const failure = await new Promise<Error | undefined>((resolve) => {
    ws.on("close", () => resolve(undefined));
    ws.on("error", (e) => resolve(e));
  });
  undo();
  if (failure) throw failure;
  return exitCodeOf(Buffer.concat(errors));
}

function upgrade(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { Connection: "Upgrade", Upgrade: "SPDY/3.1", "X-Stream-Protocol-Version": "v4.channel.k8s.io" } });
    req.on("upgrade", (_res, socket: Socket, head: Buffer) => {
      if (head.length) socket.unshift(head);
      resolve(socket);
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d));
      res.on("end", () => reject(new Error(`unable to upgrade connection: ${body.trim() || res.statusCode}`)));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Runs the session over SPDY/3.1: one stream per streamtype, the error stream carrying the Status. */
export async function streamSpdy(url: string, o: StreamOptions): Promise<number> {
  const socket = await upgrade(url);
  const z = new HeaderCompressor();
  const kinds = ["error", ...(o.stdin ? ["stdin"] : []), "stdout", ...(o.tty ? ["resize"] : ["stderr"])];
  const ids = new Map(kinds.map((k, i) => [k, 2 * i + 1]));
  const kindOf = new Map([...ids].map(([k, id]) => [id, k]));
  for (const [kind, id] of ids) socket.write(synStream(id, { streamtype: kind }, z));
  const open = new Set(["error", "stdout", ...(o.tty ? [] : ["stderr"])]);
  const errors: Buffer[] = [];
  const reader = new FrameReader();
  const undo = attachInput(o, {
    data: (b) => void socket.write(dataFrame(ids.get("stdin")!, b)),
    end: () => void socket.write(dataFrame(ids.get("stdin")!, Buffer.alloc(0), FLAG_FIN)),
    resize: (w, h) => void socket.write(dataFrame(ids.get("resize")!, Buffer.from(`${JSON.stringify({ Width: w, Height: h })}\n`))),
  });
  await new Promise<void>((resolve, reject) => {
    const finish = (kind: string | undefined): void => {
      if (kind) open.delete(kind);
      if (!open.size) resolve();
    };
    socket.on("data", (chunk: Buffer) => {
      for (const f of reader.push(chunk)) {
        if (f.control) {
          if (f.type === PING) socket.write(controlFrame(PING, 0, f.payload));
          else if (f.type === RST_STREAM) finish(kindOf.get(f.payload.readUInt32BE(0) & 0x7fffffff));
          else if (f.type === GOAWAY) resolve();
          continue;
        }
        const kind = kindOf.get(f.streamId);
        if (kind === "stdout") o.io.out(f.payload.toString());
        else if (kind === "stderr") o.io.err(f.payload.toString());
        else if (kind === "error") errors.push(f.payload);
        if (f.flags & FLAG_FIN) finish(kind);
      }
    });
    socket.on("close", () => resolve());
    socket.on("error", reject);
  }).finally(() => {
    undo();
    socket.destroy();
  });
  return exitCodeOf(Buffer.concat(errors));
}

/** Runs the session over the named transport ("spdy" or "websocket"). */
export function streamRemote(transport: string, url: string, o: StreamOptions): Promise<number> {
  if (transport === "spdy") return streamSpdy(url, o);
  if (transport === "websocket") return streamWebsocket(url, o);
  return Promise.reject(new Error(`unknown transport: ${transport}`));
}
