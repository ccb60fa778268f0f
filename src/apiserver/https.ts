/**
 * The HTTPS front end: TLS with optional client certificates, authentication,
 * impersonation, body limits, max-in-flight, and streaming of watch/log bodies.
 * Upgrade requests (exec, attach, port-forward) go to a hook after authentication.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { Duplex } from "node:stream";
import { constants as cryptoConstants } from "node:crypto";
import type { TLSSocket } from "node:tls";
import type { UserInfo } from "../api/types.ts";
import type { Authenticator, Authorizer } from "./auth/types.ts";
import { ApiStatusError, forbidden, forbiddenPath, tooLarge, tooManyRequests, unauthorized, toStatusError } from "./errors.ts";
import { InFlightLimiter, type InFlightOptions } from "./inflight.ts";
import type { ApiHandler, ApiRequest } from "./request.ts";
import { isWatchQuery, parseRequestInfo } from "./requestinfo.ts";

/** Default request body limit (upstream's 3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Takes over an authenticated upgrade request (websocket or SPDY); owns the socket afterwards. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo) => void;

/** Answers a request before authentication when it returns true (supervisor paths with their own auth). */
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface HttpsServeOptions extends InFlightOptions {
  handler: ApiHandler;
  authenticator: Authenticator;
  /** checks `impersonate` and upgrade requests (exec/attach/portforward need create); absent = both allowed to anyone authenticated */
  authorizer?: Authorizer;
  key: string | Buffer;
  cert: string | Buffer;
  /** client CA bundle: certificates are requested but checked by the authenticator */
  clientCA?: string | Buffer;
  host?: string;
  /** 0 = any free port */
  port: number;
  upgradeHandler?: UpgradeHandler;
  rawHandler?: RawHandler;
  maxBodyBytes?: number;
  /** paths anonymous requests may reach (default /healthz, /livez, /readyz, /version and their sub-paths) */
  anonymousPaths?: string[];
}

const ANONYMOUS: UserInfo = { username: "system:anonymous", groups: ["system:unauthenticated"] };
const DEFAULT_ANON = ["/healthz", "/livez", "/readyz", "/version"];

function headerMap(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function anonymousAllowed(path: string, allowed: string[]): boolean {
  return allowed.some((p) => path === p || path.startsWith(`${p}/`));
}

function sendStatus(res: ServerResponse, err: ApiStatusError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(err.status);
  res.writeHead(err.status.code, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...err.headers });
  res.end(body);
}

/** Resolves impersonation headers into the effective user, checking `impersonate` for each. */
async function impersonate(req: IncomingMessage, user: UserInfo, authorizer: Authorizer | undefined): Promise<UserInfo> {
  const target = req.headersDistinct["impersonate-user"]?.[0];
  const rawGroups = req.headersDistinct["impersonate-group"] ?? [];
  const uid = req.headersDistinct["impersonate-uid"]?.[0];
  const extras: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.headersDistinct)) {
    if (k.startsWith("impersonate-extra-") && v) extras[decodeURIComponent(k.slice("impersonate-extra-".length))] = v;
  }
  if (target === undefined) {
    if (rawGroups.length || uid || Object.keys(extras).length) {
      throw new ApiStatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "requested impersonation without a user", reason: "BadRequest", code: 400 });
    }
    return user;
  }
  const check = async (resource: string, name: string, subresource?: string): Promise<void> => {
    if (!authorizer) return;
    const d = await authorizer.authorize({ user, verb: "impersonate", resourceRequest: true, apiGroup: resource === "serviceaccounts" ? "" : resource === "users" || resource === "groups" ? "" : "authentication.k8s.io", resource, subresource, name, namespace: undefined });
    if (!d.allowed) {
      throw forbidden({ group: "", resource }, name, `User ${JSON.stringify(user.username)} cannot impersonate resource ${JSON.stringify(resource)} in API group "" at the cluster scope`);
    }
  };
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(target);
  if (sa) {
    if (authorizer) {
      const d = await authorizer.authorize({ user, verb: "impersonate", resourceRequest: true, apiGroup: "", resource: "serviceaccounts", namespace: sa[1], name: sa[2] });
      if (!d.allowed) throw forbidden({ group: "", resource: "serviceaccounts" }, sa[2], `User ${JSON.stringify(user.username)} cannot impersonate resource "serviceaccounts" in API group "" in the namespace ${JSON.stringify(sa[1])}`);
    }
  } else await check("users", target);
  for (const g of rawGroups) await check("groups", g);
  if (uid) await check("uids", uid);
  for (const k of Object.keys(extras)) for (const v of extras[k]) await check("userextras", v, k);
  const groups = [...rawGroups];
  if (sa) groups.push("system:serviceaccounts", `system:serviceaccounts:${sa[1]}`);
  if (target !== "system:anonymous" && !groups.includes("system:authenticated")) groups.push("system:authenticated");
  const out: UserInfo = { username: target, groups };
  if (uid) out.uid = uid;
  if (Object.keys(extras).length) out.extra = extras;
  return out;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A request that holds its connection open (watch, follow logs): not counted in flight. */
function longRunning(req: IncomingMessage, url: URL): boolean {
  if (isWatchQuery(url.searchParams) || url.pathname.includes("/watch/")) return true;
  return url.searchParams.get("follow") === "true" || /\/(exec|attach|portforward|proxy)$/.test(url.pathname) || req.headers.upgrade !== undefined;
}

/**
 * Upgrades bypass the ApiHandler, so they are authorized here: exec, attach and
 * portforward need "create" whether they come as websocket GETs or SPDY POSTs (as upstream).
 */
async function authorizeUpgrade(authorizer: Authorizer | undefined, r: { user: UserInfo; method: string; url: URL }): Promise<void> {
  if (!authorizer) return;
  const info = parseRequestInfo({ method: r.method as ApiRequest["method"], path: r.url.pathname, query: r.url.searchParams });
  if (info.kind === "nonresource") {
    const d = await authorizer.authorize({ user: r.user, verb: info.verb, resourceRequest: false, path: info.path });
    if (!d.allowed) throw forbiddenPath(`User ${JSON.stringify(r.user.username)} cannot ${info.verb} path ${JSON.stringify(info.path)}`);
    return;
  }
  const streaming = ["exec", "attach", "portforward"].includes(info.subresource);
  const verb = streaming ? "create" : info.verb;
  const d = await authorizer.authorize({
    user: r.user,
    verb,
    resourceRequest: true,
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource || undefined,
    namespace: info.namespace || undefined,
    name: info.name || undefined,
  });
  if (!d.allowed) {
    const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    const scope = info.namespace ? `in the namespace ${JSON.stringify(info.namespace)}` : "at the cluster scope";
    throw forbidden({ group: info.group, resource: info.resource }, info.name, `User ${JSON.stringify(r.user.username)} cannot ${verb} resource ${JSON.stringify(res)} in API group ${JSON.stringify(info.group)} ${scope}`);
  }
}

/** Serves the ApiHandler over HTTPS. */
export async function serveHttps(opts: HttpsServeOptions): Promise<{ server: Server; close(): Promise<void> }> {
  const limiter = new InFlightLimiter(opts);
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const anon = opts.anonymousPaths ?? DEFAULT_ANON;
  const server = createServer({
    key: opts.key,
    cert: opts.cert,
    ca: opts.clientCA,
    requestCert: opts.clientCA !== undefined,
    rejectUnauthorized: false,
    // a connection keeps the certificate of its handshake, so x509 authentication resolves it once per socket (Go's TLS server has no renegotiation either)
    secureOptions: cryptoConstants.SSL_OP_NO_RENEGOTIATION,
  });

  async function userOf(req: IncomingMessage, path: string): Promise<UserInfo> {
    let user: UserInfo | undefined;
    try {
      user = await opts.authenticator.authenticate({ headers: headerMap(req), socket: req.socket as TLSSocket });
    } catch {
      throw unauthorized();
    }
    if (!user) {
      if (anonymousAllowed(path, anon)) return ANONYMOUS;
      throw unauthorized();
    }
    return impersonate(req, user, opts.authorizer);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (opts.rawHandler && (await opts.rawHandler(req, res))) return;
    const url = new URL(req.url ?? "/", "https://localhost");
    const release = longRunning(req, url) ? () => undefined : await limiter.acquire();
    if (!release) {
      sendStatus(res, tooManyRequests(1));
      return;
    }
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    try {
      const user = await userOf(req, url.pathname);
      const body = await readBody(req, limit);
      const apiReq: ApiRequest = {
        method: (req.method ?? "GET") as ApiRequest["method"],
        path: url.pathname,
        query: url.searchParams,
        headers: headerMap(req),
        body: body.length ? body : undefined,
        user,
        signal: abort.signal,
      };
      const out = await opts.handler(apiReq);
      if (out.body === undefined || Buffer.isBuffer(out.body)) {
        const headers: Record<string, string | number> = { ...out.headers };
        if (out.body) headers["content-length"] = out.body.length;
        res.writeHead(out.status, headers);
        res.end(req.method === "HEAD" ? undefined : out.body);
        return;
      }
      const { "content-length": _cl, ...headers } = out.headers;
      res.writeHead(out.status, headers);
      res.flushHeaders();
      const iter = out.body[Symbol.asyncIterator]();
      const onClose = (): void => void iter.return?.();
      res.on("close", onClose);
      try {
        for (;;) {
          const next = await iter.next();
          if (next.done || res.destroyed) break;
          if (!res.write(next.value)) await new Promise<void>((r) => res.once("drain", r).once("close", r));
        }
      } finally {
        res.off("close", onClose);
        await iter.return?.();
      }
      res.end();
    } catch (err) {
      sendStatus(res, toStatusError(err));
    } finally {
      release();
    }
  }

  server.on("request", (req: IncomingMessage, res: ServerResponse) => void onRequest(req, res));
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? "/", "https://localhost");
        const user = await userOf(req, url.pathname);
        await authorizeUpgrade(opts.authorizer, { user, method: req.method ?? "GET", url });
        if (!opts.upgradeHandler) throw toStatusError(new Error("upgrade requests are not served"));
        opts.upgradeHandler(req, socket, head, user);
      } catch (err) {
        const s = toStatusError(err).status;
        const body = JSON.stringify(s);
        socket.end(`HTTP/1.1 ${s.code} ${s.reason ?? "Error"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      }
    })();
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
