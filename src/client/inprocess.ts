/** The in-process transport: ApiRequests handed straight to the API server core. */
import type { UserInfo } from "../api/types.ts";
import type { ApiHandler, ApiRequest } from "../apiserver/request.ts";
import type { Client, RawRequest } from "./client.ts";
import { clientOverTransport } from "./transport.ts";

function bodyBytes(req: RawRequest): Buffer | undefined {
  if (req.body === undefined) return undefined;
  if (Buffer.isBuffer(req.body)) return req.body;
  if (typeof req.body === "string") return Buffer.from(req.body, "utf8");
  return Buffer.from(JSON.stringify(req.body), "utf8");
}

function toApiRequest(req: RawRequest, user: UserInfo, signal: AbortSignal): ApiRequest {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) query.append(k, item);
    else query.append(k, v);
  }
  const body = bodyBytes(req);
  return {
    method: req.method,
    path: req.path,
    query,
    headers: {
      accept: req.accept ?? "application/json",
      "content-type": body ? (req.contentType ?? "application/json") : undefined,
      "user-agent": "k3s-ts/in-process",
    },
    body,
    user,
    signal,
  };
}

async function collect(body: Buffer | AsyncIterable<Buffer> | undefined): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(c);
  return Buffer.concat(parts);
}

async function* single(buf: Buffer): AsyncGenerator<Buffer> {
  if (buf.length) yield buf;
}

/** A client that calls the API server core directly as `user` (no HTTP, no TLS). */
export function inProcessClient(handler: ApiHandler, user: UserInfo): Client {
  return clientOverTransport({
    identity: user.username,
    async raw(req) {
      const ac = new AbortController();
      const res = await handler(toApiRequest(req, user, ac.signal));
      try {
        return { status: res.status, headers: res.headers, body: await collect(res.body) };
      } finally {
        ac.abort();
      }
    },
    async stream(req, signal) {
      const res = await handler(toApiRequest(req, user, signal));
      const body = res.body === undefined || Buffer.isBuffer(res.body) ? single(res.body ?? Buffer.alloc(0)) : res.body;
      return { status: res.status, headers: res.headers, body };
    },
  });
}
