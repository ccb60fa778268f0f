/** HTTPS requests to webhooks and aggregated API servers: caBundle or insecure TLS, an optional client certificate, a deadline. */
import { request } from "node:https";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

export interface TlsRequest {
  method: string;
  /** the URL as printed in errors (its host is the logical one: a service DNS name or the webhook URL's host) */
  url: URL;
  /** connect here instead of the URL's host/port (a resolved service endpoint) */
  connect?: { host: string; port: number };
  /** PEM CA certificates; absent = the system's */
  ca?: string;
  insecureSkipVerify?: boolean;
  /** client certificate and key (front-proxy identity) */
  cert?: string;
  key?: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** fails the request (and stops its body) if it has not ended after this long */
  deadlineMs?: number;
  signal?: AbortSignal;
}

/** Decodes a base64 caBundle into PEM text (undefined when absent). */
export function caBundlePem(caBundle: string | undefined): string | undefined {
  if (!caBundle) return undefined;
  return Buffer.from(caBundle, "base64").toString("utf8");
}

/** Sends a request and resolves with the response head; the caller consumes (or destroys) the body stream. */
export function tlsRequest(req: TlsRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const host = req.url.hostname.replace(/^\[|\]$/g, "");
    const port = Number(req.url.port || 443);
    const r = request({
      method: req.method,
      host: req.connect?.host ?? host,
      port: req.connect?.port ?? port,
      path: `${req.url.pathname}${req.url.search}`,
      // certificates are checked against the logical name, not the endpoint address
      servername: isIP(host) ? undefined : host,
      headers: { host: req.url.host, ...req.headers, ...(req.body ? { "content-length": String(req.body.length) } : {}) },
      ca: req.ca,
      cert: req.cert,
      key: req.key,
      rejectUnauthorized: !req.insecureSkipVerify,
      ...(req.insecureSkipVerify ? { checkServerIdentity: () => undefined } : {}),
      agent: false,
    });
    let timer: NodeJS.Timeout | undefined;
    let response: IncomingMessage | undefined;
    // the caller going away ends the request and its streamed answer (watches through the aggregator)
    const onAbort = (): void => {
      const err = new Error("the client went away");
      if (response) response.destroy(err);
      else r.destroy(err);
    };
    if (req.signal?.aborted) onAbort();
    req.signal?.addEventListener("abort", onAbort, { once: true });
    const detach = (): void => req.signal?.removeEventListener("abort", onAbort);
    if (req.deadlineMs) {
      timer = setTimeout(() => {
        const err = new Error("context deadline exceeded");
        if (response) response.destroy(err);
        else r.destroy(err);
      }, req.deadlineMs);
    }
    r.on("response", (res) => {
      response = res;
      res.on("close", detach);
      if (timer) res.on("close", () => clearTimeout(timer));
      resolve(res);
    });
    r.on("error", (err) => {
      detach();
      if (timer) clearTimeout(timer);
      reject(err);
    });
    r.end(req.body);
  });
}

/** Reads a whole response body. */
export async function readBody(res: IncomingMessage, limit = 32 << 20): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      res.destroy();
      throw new Error(`response body larger than ${limit} bytes`);
    }
    parts.push(b);
  }
  return Buffer.concat(parts);
}
