/**
 * The supervisor's server side: /cacerts, /ping and /v1-k3s/* on the API port
 * and on the supervisor port, answered before the API server's own
 * authentication (agents join with the token, not a certificate).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createPublicKey, timingSafeEqual } from "node:crypto";
import type { KubeObject } from "../api/types.ts";
import { ApiError, type Client } from "../client/client.ts";
import { R } from "../client/mod.ts";
import type { ServerConfig } from "../server/config.ts";
import { advertisedHostPort } from "../server/advertise.ts";
import type { ServerPKI } from "../server/pki/mod.ts";
import { generateKey, privateKeyPEM, signCertificate } from "../server/pki/mod.ts";
import { hashNodePassword, rotateServerToken, verifyNodePassword, type ServerTokens } from "../server/token/mod.ts";
import { log } from "../util/log.ts";

export interface SupervisorOptions {
  config: ServerConfig;
  pki: ServerPKI;
  tokens: ServerTokens;
  /** a client with rights over kube-system secrets (node passwords) */
  client: Client;
}

/** The agent-facing settings /v1-k3s/config returns (no secrets). */
export interface AgentSettings {
  clusterCIDR: string;
  serviceCIDR: string;
  clusterDNS: string;
  clusterDomain: string;
  flannelBackend: string;
  serviceNodePortRange: string;
  supervisorPort: number;
  httpsPort: number;
  disable: string[];
}

type Role = "node" | "server";

function send(res: ServerResponse, status: number, body: string, type = "text/plain"): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > 64 * 1024) req.destroy(new Error("request body over 64 KiB"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Basic auth as k3s agents send it: user node (agent token) or server (server token). */
function roleOf(req: IncomingMessage, tokens: ServerTokens): Role | undefined {
  const auth = req.headers.authorization ?? "";
  if (!auth.startsWith("Basic ")) return undefined;
  const [user, ...rest] = Buffer.from(auth.slice(6), "base64").toString("utf8").split(":");
  const password = rest.join(":");
  if (user === "server" && same(password, tokens.serverPassword)) return "server";
  if (user === "node" && (same(password, tokens.agentPassword) || same(password, tokens.serverPassword))) return "node";
  return undefined;
}

/** A new key and its certificate (leaf, CA, key PEMs concatenated, as k3s answers). */
function leafFor(pki: ServerPKI, subject: { cn: string; o?: string[] }, sans: string[], usages: ("server" | "client")[]): string {
  const key = generateKey("ecdsa");
  const ca = usages.includes("server") ? pki.serverCA : pki.clientCA;
  const cert = signCertificate({ certPEM: ca.certPEM, keyPEM: ca.keyPEM }, { publicKey: createPublicKey(key), subject, sans, usages });
  return `${cert}${ca.certPEM}${privateKeyPEM(key)}`;
}

/** The kubelet serving certificate of a node: cert chain and key PEM. */
export function kubeletServingCert(pki: ServerPKI, nodeName: string, ips: string[]): { certPEM: string; keyPEM: string } {
  const pem = leafFor(pki, { cn: nodeName }, [nodeName, "localhost", "127.0.0.1", "::1", ...ips], ["server"]);
  const keyStart = pem.search(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  return { certPEM: pem.slice(0, keyStart), keyPEM: pem.slice(keyStart) };
}

/** Checks (or records, for a new node) the node's password, as k3s's <node>.node-password.k3s Secret. */
async function checkNodePassword(client: Client, nodeName: string, password: string): Promise<boolean> {
  const name = `${nodeName}.node-password.k3s`;
  try {
    const secret = await client.get<KubeObject & { data?: Record<string, string> }>(R.secrets, "kube-system", name);
    const hash = Buffer.from(secret.data?.hash ?? "", "base64").toString("utf8");
    return verifyNodePassword(hash, password);
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 404)) throw err;
  }
  const hash = await hashNodePassword(password);
  await client.create(R.secrets, "kube-system", {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: "kube-system", labels: { "k3s.cattle.io/node-password": "true" } },
    type: "k3s.cattle.io/node-password",
    data: { hash: Buffer.from(hash).toString("base64") },
  });
  return true;
}

/** The RawHandler serving the supervisor's paths; returns false for everything else. */
export function supervisorHandler(opts: SupervisorOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const { config, pki } = opts;
  // replaced by token rotation, so every check reads the current one
  let tokens = opts.tokens;
  const settings: AgentSettings = {
    clusterCIDR: config.clusterCIDR,
    serviceCIDR: config.serviceCIDR,
    clusterDNS: config.clusterDNS,
    clusterDomain: config.clusterDomain,
    flannelBackend: config.agent.flannelBackend,
    serviceNodePortRange: config.serviceNodePortRange.join("-"),
    supervisorPort: config.supervisorPort,
    httpsPort: config.httpsListenPort,
    disable: config.disable,
  };
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/cacerts") {
      send(res, 200, pki.serverCA.certPEM);
      return true;
    }
    if (path === "/ping") {
      send(res, 200, "pong");
      return true;
    }
    if (!path.startsWith("/v1-k3s/")) return false;
    const role = roleOf(req, tokens);
    if (!role) {
      send(res, 401, "Unauthorized\n");
      return true;
    }
    const what = path.slice("/v1-k3s/".length);
    try {
      switch (what) {
        case "token": {
          if (req.method !== "PUT" || role !== "server") {
            send(res, role === "server" ? 405 : 403, "token rotation needs PUT with the server token\n");
            return true;
          }
          try {
            const body = JSON.parse(await readBody(req)) as { token?: unknown };
            if (typeof body.token !== "string") throw new Error("the body must carry the new token as {\"token\": \"...\"}");
            tokens = rotateServerToken(tokens, body.token);
          } catch (err) {
            send(res, 400, `${(err as Error).message}\n`);
            return true;
          }
          log.info("supervisor: server token rotated; restart nodes with the new token");
          send(res, 200, "ok");
          return true;
        }
        case "readyz":
          send(res, 200, "ok");
          return true;
        case "config":
          send(res, 200, JSON.stringify(settings), "application/json");
          return true;
        case "apiservers":
          send(res, 200, JSON.stringify([advertisedHostPort(config)]), "application/json");
          return true;
        case "server-ca.crt":
          send(res, 200, pki.serverCA.certPEM);
          return true;
        case "client-ca.crt":
          send(res, 200, pki.clientCA.certPEM);
          return true;
        case "client-kube-proxy.crt":
          send(res, 200, leafFor(pki, { cn: "system:kube-proxy" }, [], ["client"]));
          return true;
        case "client-kubelet.crt":
        case "serving-kubelet.crt": {
          const nodeName = String(req.headers["k3s-node-name"] ?? "");
          const password = String(req.headers["k3s-node-password"] ?? "");
          if (!nodeName || !password) {
            send(res, 400, "k3s-Node-Name and k3s-Node-Password headers are required\n");
            return true;
          }
          if (!(await checkNodePassword(opts.client, nodeName, password))) {
            log.warn(`supervisor: node ${nodeName} presented a password that does not match its node-password secret`);
            send(res, 403, `Forbidden: node password for ${nodeName} does not match\n`);
            return true;
          }
          const ips = String(req.headers["k3s-node-ip"] ?? "").split(",").filter(Boolean);
          const pem =
            what === "client-kubelet.crt"
              ? leafFor(pki, { cn: `system:node:${nodeName}`, o: ["system:nodes"] }, [], ["client"])
              : Object.values(kubeletServingCert(pki, nodeName, ips)).join("");
          send(res, 200, pem);
          return true;
        }
        default:
          send(res, 404, `404 page not found: ${path}\n`);
          return true;
      }
    } catch (err) {
      send(res, 500, `${(err as Error).message}\n`);
      return true;
    }
  };
}
