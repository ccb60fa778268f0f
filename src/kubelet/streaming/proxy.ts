/**
 * Hands an exec/attach/port-forward upgrade request to containerd's CRI
 * streaming server. containerd speaks remotecommand v1-v4 over SPDY/3.1 and
 * websocket, and portforward over both, but refuses v5.channel.k8s.io; so:
 * - SPDY upgrades are forwarded byte for byte (the server picks v4 from the
 *   client's X-Stream-Protocol-Version list, stdin half-close and resize work);
 * - websocket upgrades offering v4 or older (client-node) are forwarded with
 *   v5 removed from the offer;
 * - websocket upgrades offering only v5 (kubectl 1.32 exec/attach) or the
 *   SPDY-in-websocket port-forward tunnel are refused with 400, which makes
 *   kubectl fall back to SPDY/3.1 on its own.
 */
import type { IncomingMessage } from "node:http";
import { connect as netConnect } from "node:net";
import type { Duplex } from "node:stream";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";

const WS_V4_OR_OLDER = ["v4.channel.k8s.io", "v4.base64.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io", "base64.channel.k8s.io"];

/** How an upgrade request will be handled. */
export type UpgradeKind = "spdy" | "websocket" | "refuse";

function headerList(v: string | string[] | undefined): string[] {
  return (Array.isArray(v) ? v.join(",") : (v ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
}

/** Decides how to treat an upgrade request (see the module comment). */
export function classifyUpgrade(req: IncomingMessage): UpgradeKind {
  const upgrade = String(req.headers.upgrade ?? "").toLowerCase();
  if (upgrade.startsWith("spdy/")) return "spdy";
  if (upgrade !== "websocket") return "refuse";
  const offered = headerList(req.headers["sec-websocket-protocol"]);
  return offered.some((p) => WS_V4_OR_OLDER.includes(p)) ? "websocket" : "refuse";
}

/** An upgrade request as Node's "upgrade" event hands it over. */
export interface UpgradeRequest {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
}

/** Writes a plain HTTP error with a Status body and closes the socket. */
export function refuseUpgrade(socket: Duplex, failure: { code: number; message: string }): void {
  const { code, message } = failure;
  const body = JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: code === 404 ? "NotFound" : "BadRequest", code });
  const text = code === 404 ? "Not Found" : code === 403 ? "Forbidden" : code === 500 ? "Internal Server Error" : "Bad Request";
  socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Where to forward an upgrade request. */
export interface UpgradeTarget {
  /** absolute URL: the CRI streaming URL, or https://node:10250/exec/... */
  url: string;
  /** TLS client settings for https targets (client cert, CA) */
  tls?: ConnectionOptions;
  /** query parameters to set on the forwarded request (e.g. port for containerd's websocket port-forward) */
  query?: Record<string, string | string[]>;
}

const HOP = new Set(["host", "authorization", "content-length", "proxy-authorization"]);

/** Forwards the upgrade request to the target and pipes both directions; the 101 (or error) comes from the target. */
export function forwardUpgrade(upgrade: UpgradeRequest, target: UpgradeTarget): void {
  const { req, socket, head } = upgrade;
  const url = new URL(target.url);
  for (const [k, v] of Object.entries(target.query ?? {})) {
    url.searchParams.delete(k);
    for (const x of Array.isArray(v) ? v : [v]) url.searchParams.append(k, x);
  }
  const lines = [`${req.method ?? "GET"} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (HOP.has(lower) || lower.startsWith("impersonate-") || lower.startsWith("x-remote-")) continue;
    let value = req.rawHeaders[i + 1]!;
    if (lower === "sec-websocket-protocol") {
      value = headerList(value).filter((p) => p !== "v5.channel.k8s.io").join(", ");
      if (!value) continue;
    }
    lines.push(`${name}: ${value}`);
  }
  const https = url.protocol === "https:";
  const port = Number(url.port || (https ? 443 : 80));
  const upstream = https
    ? tlsConnect({ host: url.hostname, port, servername: /^[\d.:]+$/.test(url.hostname) ? undefined : url.hostname, ...target.tls })
    : netConnect({ host: url.hostname, port });
  const fail = (e: Error): void => {
    if (!socket.destroyed && upstream.bytesRead === 0) refuseUpgrade(socket, { code: 502, message: `error dialing the stream server: ${e.message}` });
    else socket.destroy();
  };
  upstream.once("error", fail);
  upstream.once(https ? "secureConnect" : "connect", () => {
    upstream.write(lines.join("\r\n") + "\r\n\r\n");
    if (head.length) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  socket.once("error", () => upstream.destroy());
  socket.once("close", () => upstream.destroy());
  upstream.once("close", () => socket.destroy());
}

/** Refuses or forwards an upgrade to a CRI streaming URL, as the module comment describes. */
export function proxyToCri(upgrade: UpgradeRequest, criUrl: string): void {
  const { req, socket } = upgrade;
  const kind = classifyUpgrade(req);
  if (kind === "refuse") {
    refuseUpgrade(socket, { code: 400, message: "websocket subprotocol v5.channel.k8s.io is not served; use SPDY/3.1 or v4.channel.k8s.io" });
    return;
  }
  const query: Record<string, string[]> = {};
  const incoming = new URL(req.url ?? "/", "http://x");
  // client-node asks for ?ports=; containerd's websocket port-forward reads ?port=
  const ports = [...incoming.searchParams.getAll("ports"), ...incoming.searchParams.getAll("port")].flatMap((p) => p.split(","));
  if (ports.length && kind === "websocket") query.port = ports;
  forwardUpgrade(upgrade, { url: criUrl, query });
}
