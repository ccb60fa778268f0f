/**
 * Proxying one request to an aggregated API server: the user travels in
 * X-Remote-User/-Group/-Extra-* headers, authenticated by the front-proxy
 * client certificate; the answer streams back (watches included).
 */
import type { UserInfo } from "../../api/types.ts";
import { tlsRequest } from "../admission/mod.ts";
import type { ServiceEndpoint } from "../admission/mod.ts";
import { ApiStatusError, failure } from "../errors.ts";
import type { ApiRequest, ApiResponse } from "../request.ts";

/** Where and how to reach a backend. */
export interface ProxyTarget {
  endpoint: ServiceEndpoint;
  /** the service port, for the URL's logical host */
  port: number;
  /** PEM CA of the backend's serving certificate; absent = the system's */
  ca?: string;
  insecureSkipTLSVerify?: boolean;
  /** the front-proxy client certificate and key (PEM) */
  identity: { cert: string; key: string };
}

const DROP_REQUEST = new Set(["host", "connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer", "proxy-authorization", "authorization", "content-length", "accept-encoding"]);
const DROP_RESPONSE = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer", "content-length"]);

/** The identity headers a backend's request-header authenticator reads. */
export function remoteUserHeaders(user: UserInfo): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { "x-remote-user": user.username };
  if (user.groups.length) out["x-remote-group"] = [...user.groups];
  for (const [k, values] of Object.entries(user.extra ?? {})) out[`x-remote-extra-${encodeURIComponent(k.toLowerCase())}`] = [...values];
  return out;
}

function forwardedHeaders(req: ApiRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || DROP_REQUEST.has(k) || k.startsWith("impersonate-") || k.startsWith("x-remote-")) continue;
    out[k] = v;
  }
  return out;
}

/** 503 as upstream answers when a backend cannot be reached. */
export function serviceUnavailable(why: string): ApiStatusError {
  return new ApiStatusError(failure(503, { reason: "ServiceUnavailable", message: `error trying to reach service: ${why}` }));
}

/** Sends the request to the backend and streams its answer back. */
export async function proxyRequest(req: ApiRequest, target: ProxyTarget): Promise<ApiResponse> {
  const url = new URL(`https://${target.endpoint.serverName}:${target.port}${req.path}`);
  url.search = req.query.toString();
  let res;
  try {
    res = await tlsRequest({
      method: req.method,
      url,
      connect: { host: target.endpoint.host, port: target.endpoint.port },
      ca: target.ca,
      insecureSkipVerify: target.insecureSkipTLSVerify,
      cert: target.identity.cert,
      key: target.identity.key,
      headers: { ...forwardedHeaders(req), ...remoteUserHeaders(req.user) },
      body: req.body && req.body.length ? req.body : undefined,
      signal: req.signal,
    });
  } catch (err) {
    throw serviceUnavailable((err as Error).message);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined || DROP_RESPONSE.has(k)) continue;
    headers[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  const stream = res;
  async function* body(): AsyncIterable<Buffer> {
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } finally {
      stream.destroy();
    }
  }
  return { status: res.statusCode ?? 502, headers, body: body() };
}
