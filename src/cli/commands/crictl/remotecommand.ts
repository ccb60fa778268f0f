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
import { SpdySession } from "./spdy.ts";

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

/** Upgrades a POST to the streaming URL to SPDY/3.1 with the given sub-protocol. */
export function upgrade(url: string, protocol: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { Connection: "Upgrade", Upgrade: "SPDY/3.1", "X-Stream-Protocol-Version": protocol } });
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
  const session = new SpdySession(await upgrade(url, "v4.channel.k8s.io"));
  const errors: Buffer[] = [];
  let pending = o.tty ? 2 : 3;
  let undo = (): void => {};
  const done = new Promise<void>((resolve) => {
    const end = (): void => void (--pending === 0 && resolve());
    session.open({ streamtype: "error" }, { data: (b) => void errors.push(b), end });
    const stdin = o.stdin ? session.open({ streamtype: "stdin" }) : 0;
    session.open({ streamtype: "stdout" }, { data: (b) => o.io.out(b.toString()), end });
    const resize = o.tty ? session.open({ streamtype: "resize" }) : 0;
    if (!o.tty) session.open({ streamtype: "stderr" }, { data: (b) => o.io.err(b.toString()), end });
    undo = attachInput(o, {
      data: (b) => session.write(stdin, b),
      end: () => session.write(stdin, Buffer.alloc(0), true),
      resize: (w, h) => session.write(resize, Buffer.from(`${JSON.stringify({ Width: w, Height: h })}\n`)),
    });
  });
  await Promise.race([done, session.closed]).finally(() => {
    undo();
    session.destroy();
  });
  return exitCodeOf(Buffer.concat(errors));
}

/** Runs the session over the named transport ("spdy" or "websocket"). */
export function streamRemote(transport: string, url: string, o: StreamOptions): Promise<number> {
  if (transport === "spdy") return streamSpdy(url, o);
  if (transport === "websocket") return streamWebsocket(url, o);
  return Promise.reject(new Error(`unknown transport: ${transport}`));
}
