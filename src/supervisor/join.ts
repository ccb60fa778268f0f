/**
 * The agent side of joining: trust the server's CA only once it matches the
 * token's hash, authenticate with the token, and fetch this node's kubelet
 * certificates and the cluster settings.
 */
import { request } from "node:https";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { caHash, ensureNodePassword, parseToken, DEFAULT_NODE_PASSWORD_FILE } from "../server/token/mod.ts";
import { writeFileAtomic } from "../server/pki/mod.ts";
import { writeFileKubeconfig } from "../server/kubeconfig/mod.ts";
import type { AgentSettings } from "./server.ts";

export interface JoinOptions {
  /** https://host:port of a server (API or supervisor port) */
  serverURL: string;
  token: string;
  nodeName: string;
  nodeIPs: string[];
  dataDir: string;
  /** default /etc/rancher/node/password */
  nodePasswordFile?: string;
}

export interface JoinResult {
  caPEM: string;
  settings: AgentSettings;
  /** agent/kubelet.kubeconfig: the kubelet's identity (system:node:<name>) */
  kubeconfig: string;
  clientCertPEM: string;
  clientKeyPEM: string;
  servingCertPEM: string;
  servingKeyPEM: string;
  /** the CA of client certificates (the API server's, when it calls the kubelet) */
  clientCAPEM: string;
}

interface GetOptions {
  ca?: string;
  auth?: string;
  headers?: Record<string, string>;
}

function get(url: URL, opts: GetOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "GET",
        ca: opts.ca,
        // the CA is not known before /cacerts: that one answer is checked against the token's hash instead
        rejectUnauthorized: opts.ca !== undefined,
        headers: { ...(opts.auth ? { authorization: `Basic ${Buffer.from(opts.auth).toString("base64")}` } : {}), ...opts.headers },
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url.origin} in 15 s`)));
    req.on("error", reject);
    req.end();
  });
}

function splitPEM(bundle: string): { certs: string; key: string } {
  const blocks = bundle.match(/-----BEGIN [^-]+-----[\s\S]+?-----END [^-]+-----\n?/g) ?? [];
  const key = blocks.find((b) => /PRIVATE KEY/.test(b));
  if (!key) throw new Error("the server's certificate answer holds no private key");
  return { certs: blocks.filter((b) => b !== key).join(""), key };
}

/** Joins the server: verifies its CA against the token and fetches this node's credentials. */
export async function joinServer(opts: JoinOptions): Promise<JoinResult> {
  const base = new URL(opts.serverURL);
  if (base.protocol !== "https:") throw new Error(`server url ${opts.serverURL} must be https://`);
  const token = parseToken(opts.token);
  const cacerts = await get(new URL("/cacerts", base), {});
  if (cacerts.status !== 200) throw new Error(`${base.origin}/cacerts answered ${cacerts.status}`);
  const caPEM = cacerts.body;
  if (token.caHash !== undefined && caHash(caPEM) !== token.caHash) {
    throw new Error(`the server's ca hash ${caHash(caPEM)} does not match the token's ${token.caHash}`);
  }
  const auth = `${token.username === "server" ? "server" : "node"}:${token.password}`;
  const cfg = await get(new URL("/v1-k3s/config", base), { ca: caPEM, auth });
  if (cfg.status === 401) throw new Error(`the server refused the token (401 from ${base.origin})`);
  if (cfg.status !== 200) throw new Error(`${base.origin}/v1-k3s/config answered ${cfg.status}: ${cfg.body.trim()}`);
  const settings = JSON.parse(cfg.body) as AgentSettings;
  const nodePassword = ensureNodePassword(opts.nodePasswordFile ?? DEFAULT_NODE_PASSWORD_FILE);
  const headers = { "k3s-Node-Name": opts.nodeName, "k3s-Node-Password": nodePassword, "k3s-Node-IP": opts.nodeIPs.join(",") };
  const fetchCert = async (name: string) => {
    const r = await get(new URL(`/v1-k3s/${name}`, base), { ca: caPEM, auth, headers });
    if (r.status !== 200) throw new Error(`${base.origin}/v1-k3s/${name} answered ${r.status}: ${r.body.trim()}`);
    return splitPEM(r.body);
  };
  const clientCA = await get(new URL("/v1-k3s/client-ca.crt", base), { ca: caPEM, auth });
  if (clientCA.status !== 200) throw new Error(`${base.origin}/v1-k3s/client-ca.crt answered ${clientCA.status}`);
  const client = await fetchCert("client-kubelet.crt");
  const serving = await fetchCert("serving-kubelet.crt");
  const agentDir = join(opts.dataDir, "agent");
  mkdirSync(agentDir, { recursive: true, mode: 0o700 });
  const files: [string, string, number][] = [
    ["server-ca.crt", caPEM, 0o644],
    ["client-ca.crt", clientCA.body, 0o644],
    ["client-kubelet.crt", client.certs, 0o644],
    ["client-kubelet.key", client.key, 0o600],
    ["serving-kubelet.crt", serving.certs, 0o644],
    ["serving-kubelet.key", serving.key, 0o600],
  ];
  for (const [name, text, mode] of files) writeFileAtomic(join(agentDir, name), text, { mode });
  const kubeconfig = join(agentDir, "kubelet.kubeconfig");
  writeFileKubeconfig(kubeconfig, {
    server: base.origin,
    caPath: join(agentDir, "server-ca.crt"),
    certPath: join(agentDir, "client-kubelet.crt"),
    keyPath: join(agentDir, "client-kubelet.key"),
  });
  return { caPEM, settings, kubeconfig, clientCertPEM: client.certs, clientKeyPEM: client.key, servingCertPEM: serving.certs, servingKeyPEM: serving.key, clientCAPEM: clientCA.body };
}
