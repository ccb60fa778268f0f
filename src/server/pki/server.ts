/** The server's certificates under <data-dir>/server/tls, laid out as k3s does. */
import { createPublicKey, generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { isIP } from "node:net";
import { join } from "node:path";
import type { ServerConfig } from "../config.ts";
import { ensureCA, ensureLeaf } from "./ensure.ts";
import type { CertFiles, LeafOptions } from "./ensure.ts";
import { ensurePrivateDir, readIfExists, writeFileAtomic } from "./files.ts";
import { privateKeyPEM } from "./keys.ts";

const generateKeyPairAsync = promisify(generateKeyPair);
import { normalizeIP } from "./x509.ts";

/** The service-account signing key pair (RSA-2048, as k3s's service.key). */
export interface ServiceAccountKey {
  /** every key tokens may be verified with (k3s keeps old keys here after rotation) */
  keyPath: string;
  /** the key new tokens are signed with */
  currentKeyPath: string;
  keyPEM: string;
  publicKeyPEM: string;
  /** public keys of every key in service.key plus the current one: tokens signed by any of them verify */
  verifyPublicKeyPEMs: string[];
}

/** Paths and PEMs of everything in server/tls. */
export interface ServerPKI {
  tlsDir: string;
  serverCA: CertFiles;
  clientCA: CertFiles;
  requestHeaderCA: CertFiles;
  serviceAccount: ServiceAccountKey;
  /** the API (and supervisor) serving certificate, signed by the server CA */
  servingKubeAPIServer: CertFiles;
  /** CN system:admin, O system:masters */
  clientAdmin: CertFiles;
  /** CN system:kube-controller-manager */
  clientController: CertFiles;
  /** CN system:kube-scheduler */
  clientScheduler: CertFiles;
  /** CN system:apiserver, O system:masters (the API server as a client of kubelets) */
  clientKubeAPIServer: CertFiles;
  /** CN system:k3s-controller */
  clientK3sController: CertFiles;
  /** CN system:kube-proxy */
  clientKubeProxy: CertFiles;
  /** CN system:k3s-supervisor, O system:masters */
  clientSupervisor: CertFiles;
  /** CN system:auth-proxy, signed by the request-header CA */
  clientAuthProxy: CertFiles;
  /** names of the certificates created or re-issued by this call, with the reason */
  changed: string[];
}

/** The address `offset` after a CIDR's network address, e.g. (10.43.0.0/16, 10) → 10.43.0.10. */
export function addressInCIDR(cidr: string, offset: number): string {
  const [addr] = cidr.trim().split("/");
  const family = isIP(addr);
  if (family === 4) {
    const n = addr.split(".").reduce((acc, p) => acc * 256 + Number(p), 0) + offset;
    return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
  }
  if (family === 6) return bigIntToIPv6(ipv6ToBigInt(normalizeIP(addr)) + BigInt(offset));
  throw new Error(`invalid service cidr ${cidr}`);
}

/** The first address of each CIDR in a (comma-separated) list, e.g. 10.43.0.0/16 → 10.43.0.1. */
export function firstServiceIPs(cidrs: string): string[] {
  return cidrs
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean)
    .map((cidr) => addressInCIDR(cidr, 1));
}

function ipv6ToBigInt(ip: string): bigint {
  const [head, tail] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g || "0", 16)), 0n);
}

function bigIntToIPv6(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  return normalizeIP(groups.join(":"));
}

/** The names the API serving certificate covers, in a stable order without duplicates. */
export function servingSANs(config: ServerConfig): string[] {
  const domain = config.clusterDomain || "cluster.local";
  const names = [
    config.agent.nodeName,
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    `kubernetes.default.svc.${domain}`,
    "127.0.0.1",
    "::1",
    ...config.agent.nodeIPs,
    ...config.agent.nodeExternalIPs,
    ...(config.advertiseAddress ? [config.advertiseAddress] : []),
    ...(config.bindAddress && config.bindAddress !== "0.0.0.0" && config.bindAddress !== "::" ? [config.bindAddress] : []),
    ...firstServiceIPs(config.serviceCIDR),
    ...config.tlsSANs,
  ];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of names) {
    const key = normalizeIP(n.trim());
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(key);
  }
  return out;
}

async function ensureServiceAccountKey(tlsDir: string): Promise<ServiceAccountKey & { created: boolean }> {
  const keyPath = join(tlsDir, "service.key");
  const currentKeyPath = join(tlsDir, "service.current.key");
  let created = false;
  let currentPEM = readIfExists(currentKeyPath);
  if (currentPEM === undefined) {
    // service.key may predate service.current.key (older data dirs): its first key becomes the signer
    const existing = readIfExists(keyPath);
    // RSA generation is the slow part of a cold start: done off the main thread while the EC certificates are made
    currentPEM = existing ?? privateKeyPEM((await generateKeyPairAsync("rsa", { modulusLength: 2048 })).privateKey);
    created = existing === undefined;
    writeFileAtomic(currentKeyPath, currentPEM, { mode: 0o600 });
  }
  let bundle = readIfExists(keyPath);
  if (bundle === undefined) {
    bundle = currentPEM;
    writeFileAtomic(keyPath, bundle, { mode: 0o600 });
  }
  const publicOf = (pem: string): string => createPublicKey(pem).export({ type: "spki", format: "pem" }).toString();
  const publicKeyPEM = publicOf(currentPEM);
  const blocks = bundle.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g) ?? [];
  const verifyPublicKeyPEMs = [...new Set([publicKeyPEM, ...blocks.map(publicOf)])];
  return { keyPath, currentKeyPath, keyPEM: currentPEM, publicKeyPEM, verifyPublicKeyPEMs, created };
}

/** Creates or refreshes every server certificate; idempotent, keys 0600, directories 0700. */
export async function ensureServerPKI(config: ServerConfig): Promise<ServerPKI> {
  const serverDir = join(config.dataDir, "server");
  const tlsDir = join(serverDir, "tls");
  ensurePrivateDir(config.dataDir);
  ensurePrivateDir(serverDir);
  ensurePrivateDir(tlsDir);
  const changed: string[] = [];
  const ca = (name: string, prefix: string): CertFiles => {
    const files = ensureCA({ certPath: join(tlsDir, `${name}.crt`), keyPath: join(tlsDir, `${name}.key`), prefix });
    if (files.created) changed.push(`${name} (created)`);
    return files;
  };
  const serverCA = ca("server-ca", "k3s-server");
  const clientCA = ca("client-ca", "k3s-client");
  const requestHeaderCA = ca("request-header-ca", "k3s-request-header");
  const serviceAccountPending = ensureServiceAccountKey(tlsDir);
  // if a leaf below throws, this promise is never awaited: keep its failure from becoming an unhandled rejection
  serviceAccountPending.catch(() => undefined);

  const leaf = (name: string, options: Omit<LeafOptions, "certPath" | "keyPath">): CertFiles => {
    const files = ensureLeaf({ ...options, certPath: join(tlsDir, `${name}.crt`), keyPath: join(tlsDir, `${name}.key`) });
    if (files.reissued) changed.push(`${name} (${files.reissued})`);
    return { certPath: files.certPath, keyPath: files.keyPath, certPEM: files.certPEM, keyPEM: files.keyPEM };
  };
  const client = (name: string, cn: string, o?: string[]): CertFiles =>
    leaf(name, { ca: clientCA, subject: { cn, o }, usages: ["client"] });

  const leaves = {
    servingKubeAPIServer: leaf("serving-kube-apiserver", {
      ca: serverCA,
      subject: { cn: "kube-apiserver" },
      sans: servingSANs(config),
      usages: ["server"],
    }),
    clientAdmin: client("client-admin", "system:admin", ["system:masters"]),
    clientController: client("client-controller", "system:kube-controller-manager"),
    clientScheduler: client("client-scheduler", "system:kube-scheduler"),
    clientKubeAPIServer: client("client-kube-apiserver", "system:apiserver", ["system:masters"]),
    clientK3sController: client("client-k3s-controller", "system:k3s-controller"),
    clientKubeProxy: client("client-kube-proxy", "system:kube-proxy"),
    clientSupervisor: client("client-supervisor", "system:k3s-supervisor", ["system:masters"]),
    clientAuthProxy: leaf("client-auth-proxy", { ca: requestHeaderCA, subject: { cn: "system:auth-proxy" }, usages: ["client"] }),
  };
  const { created, ...serviceAccount } = await serviceAccountPending;
  if (created) changed.push("service (created)");
  return {
    tlsDir,
    serverCA,
    clientCA,
    requestHeaderCA,
    serviceAccount,
    ...leaves,
    changed,
  };
}
