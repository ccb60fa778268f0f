/** The HTTPS transport: node:https with a keep-alive agent, client certs or a bearer token. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import https from "node:https";
import { X509Certificate } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { parse as parseYAML } from "yaml";
import type { Client, RawRequest } from "./client.ts";
import { encodeQuery } from "./paths.ts";
import { clientOverTransport } from "./transport.ts";

export interface HttpsClientOptions {
  /** https://host:port */
  server: string;
  caPEM: string;
  certPEM?: string;
  keyPEM?: string;
  token?: string;
  userAgent?: string;
  /** the identity reported by Client.identity; defaults to the cert CN or "token" */
  identity?: string;
}

function headersOf(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function commonNameOf(certPEM: string | undefined): string | undefined {
  if (!certPEM) return undefined;
  try {
    const cn = /CN=([^\n,]+)/.exec(new X509Certificate(certPEM).subject);
    return cn?.[1];
  } catch {
    return undefined;
  }
}

/** A client speaking HTTPS to an API server. */
export function httpsClient(opts: HttpsClientOptions): Client {
  const url = new URL(opts.server);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 64,
    ca: opts.caPEM,
    cert: opts.certPEM,
    key: opts.keyPEM,
  });
  const userAgent = opts.userAgent ?? "k3s-ts";
  function send(req: RawRequest, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    let body: Buffer | undefined;
    if (req.body !== undefined) {
      body = Buffer.isBuffer(req.body)
        ? req.body
        : typeof req.body === "string"
          ? Buffer.from(req.body)
          : Buffer.from(JSON.stringify(req.body));
    }
    const qs = encodeQuery(req.query);
    const headers: Record<string, string> = {
      accept: req.accept ?? "application/json",
      "user-agent": userAgent,
    };
    if (body) {
      headers["content-type"] = req.contentType ?? "application/json";
      headers["content-length"] = String(body.length);
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    return new Promise((resolveRes, reject) => {
      const r = https.request(
        {
          agent,
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port || 443,
          method: req.method,
          path: `${url.pathname.replace(/\/$/, "")}${req.path}${qs ? `?${qs}` : ""}`,
          headers,
          signal,
        },
        resolveRes,
      );
      r.on("error", reject);
      r.end(body);
    });
  }
  return clientOverTransport({
    identity: opts.identity ?? commonNameOf(opts.certPEM) ?? (opts.token ? "token" : "anonymous"),
    async raw(req) {
      const res = await send(req, undefined);
      const parts: Buffer[] = [];
      for await (const c of res) parts.push(c as Buffer);
      return { status: res.statusCode ?? 0, headers: headersOf(res), body: Buffer.concat(parts) };
    },
    async stream(req, signal) {
      const res = await send(req, signal);
      async function* chunks(): AsyncGenerator<Buffer> {
        try {
          for await (const c of res) yield c as Buffer;
        } catch (err) {
          if (!signal.aborted) throw err;
        }
      }
      return { status: res.statusCode ?? 0, headers: headersOf(res), body: chunks() };
    },
  });
}

interface KubeconfigFile {
  "current-context"?: string;
  clusters?: { name: string; cluster: { server: string; "certificate-authority-data"?: string; "certificate-authority"?: string } }[];
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  users?: {
    name: string;
    user: {
      "client-certificate-data"?: string;
      "client-key-data"?: string;
      "client-certificate"?: string;
      "client-key"?: string;
      token?: string;
    };
  }[];
}

/** Reads a kubeconfig file (current context) into httpsClient options. */
export function kubeconfigOptions(path: string): HttpsClientOptions {
  const cfg = parseYAML(readFileSync(path, "utf8")) as KubeconfigFile;
  const base = dirname(path);
  const file = (p: string): string => readFileSync(resolve(base, p), "utf8");
  const b64 = (s: string): string => Buffer.from(s, "base64").toString("utf8");
  const ctxName = cfg["current-context"] ?? cfg.contexts?.[0]?.name;
  const ctx = cfg.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`kubeconfig ${path}: context ${JSON.stringify(ctxName)} not found`);
  const cluster = cfg.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster) throw new Error(`kubeconfig ${path}: cluster ${JSON.stringify(ctx.cluster)} not found`);
  const user = cfg.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const caPEM = cluster["certificate-authority-data"]
    ? b64(cluster["certificate-authority-data"])
    : cluster["certificate-authority"]
      ? file(cluster["certificate-authority"])
      : "";
  return {
    server: cluster.server,
    caPEM,
    certPEM: user["client-certificate-data"] ? b64(user["client-certificate-data"]) : user["client-certificate"] ? file(user["client-certificate"]) : undefined,
    keyPEM: user["client-key-data"] ? b64(user["client-key-data"]) : user["client-key"] ? file(user["client-key"]) : undefined,
    token: user.token,
    identity: ctx.user,
  };
}

/** A client for the current context of a kubeconfig file. */
export function clientFromKubeconfig(path: string): Client {
  return httpsClient(kubeconfigOptions(path));
}
