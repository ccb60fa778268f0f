/**
 * /etc/rancher/k3s/registries.yaml → containerd's certs.d/<host>/hosts.toml
 * (mirrors, endpoints, TLS) plus the credentials containerd 1.6 only reads
 * from config.toml. Rewrites are applied by the kubelet, which pulls the
 * rewritten name from each endpoint directly: so every endpoint of a mirror
 * with rewrites also gets a hosts.toml of its own (its scheme and TLS).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface RegistryAuth {
  username?: string;
  password?: string;
  auth?: string;
  identity_token?: string;
}

export interface RegistryTLS {
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
  insecure_skip_verify?: boolean;
}

export interface RegistryMirror {
  endpoint?: string[];
  /** regexp → replacement; containerd 1.6 cannot rewrite, so the kubelet applies these (src/kubelet/images/rewrite.ts) */
  rewrite?: Record<string, string>;
}

export interface RegistryConfig {
  auth?: RegistryAuth;
  tls?: RegistryTLS;
}

/** The parsed registries.yaml. */
export interface Registries {
  mirrors: Record<string, RegistryMirror>;
  configs: Record<string, RegistryConfig>;
}

/** Reads registries.yaml; a missing file is an empty configuration. */
export function readRegistries(file: string): Registries {
  if (!existsSync(file)) return { mirrors: {}, configs: {} };
  const doc: unknown = parse(readFileSync(file, "utf8"));
  if (doc !== null && doc !== undefined && typeof doc !== "object") {
    throw new Error(`registries file ${file} is not a mapping`);
  }
  const d = (doc ?? {}) as Partial<Registries>;
  return { mirrors: d.mirrors ?? {}, configs: d.configs ?? {} };
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

function withScheme(endpoint: string): string {
  return /^[a-z]+:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`;
}

function tlsLines(tls: RegistryTLS | undefined): string[] {
  if (!tls) return [];
  const out: string[] = [];
  if (tls.ca_file) out.push(`  ca = ${JSON.stringify(tls.ca_file)}`);
  if (tls.cert_file && tls.key_file) out.push(`  client = [[${JSON.stringify(tls.cert_file)}, ${JSON.stringify(tls.key_file)}]]`);
  else if (tls.cert_file) out.push(`  client = ${JSON.stringify(tls.cert_file)}`);
  if (tls.insecure_skip_verify) out.push("  skip_verify = true");
  return out;
}

function defaultServer(registry: string): string | undefined {
  if (registry === "*") return undefined;
  if (registry === "docker.io") return "https://registry-1.docker.io";
  return `https://${registry}`;
}

/** Endpoint host[:port] → endpoint URL, for the endpoints of mirrors that have rewrites (first mention wins). */
function rewriteEndpoints(regs: Registries): Map<string, string> {
  const out = new Map<string, string>();
  for (const mirror of Object.values(regs.mirrors)) {
    if (!mirror?.rewrite || !Object.keys(mirror.rewrite).length) continue;
    for (const raw of mirror.endpoint ?? []) {
      const url = withScheme(raw);
      const host = /^[a-z]+:\/\/([^/]+)/.exec(url)?.[1] ?? hostOf(url);
      if (!out.has(host)) out.set(host, url);
    }
  }
  return out;
}

/** The hosts.toml text for one registry name (as written under mirrors:, or a rewrite endpoint's host). */
export function hostsToml(registry: string, regs: Registries): string {
  const mirror = regs.mirrors[registry] ?? {};
  const lines: string[] = [];
  // a rewrite endpoint without its own mirrors entry is reached with the endpoint's scheme
  const server = (regs.mirrors[registry] ? undefined : rewriteEndpoints(regs).get(registry)) ?? defaultServer(registry);
  if (server) lines.push(`server = ${JSON.stringify(server)}`);
  const own = regs.configs[registry];
  if (server && own?.tls) {
    // TLS for the upstream itself goes at the top level.
    lines.push(...tlsLines(own.tls).map((l) => l.trim()));
  }
  if (mirror.rewrite && Object.keys(mirror.rewrite).length) {
    lines.push(`# rewrites ${JSON.stringify(mirror.rewrite)} are applied by the kubelet: containerd 1.6 cannot`);
  }
  for (const raw of mirror.endpoint ?? []) {
    const url = withScheme(raw);
    const host = hostOf(url);
    if (server && hostOf(server) === host) continue;
    lines.push("", `[host.${JSON.stringify(url)}]`, `  capabilities = ["pull", "resolve"]`);
    lines.push(...tlsLines(regs.configs[host]?.tls ?? regs.configs[raw]?.tls));
  }
  return lines.join("\n") + "\n";
}

/** Credentials keyed by registry host, for config.toml. */
export function registryAuth(regs: Registries): Record<string, RegistryAuth> {
  const out: Record<string, RegistryAuth> = {};
  for (const [host, cfg] of Object.entries(regs.configs)) {
    if (cfg?.auth) out[host] = cfg.auth;
  }
  return out;
}

/** Rewrites certs.d from registries: one folder per mirrored registry, "*" as _default. */
export function writeCertsDir(certsDir: string, regs: Registries): string[] {
  rmSync(certsDir, { recursive: true, force: true });
  mkdirSync(certsDir, { recursive: true });
  const names = new Set<string>(Object.keys(regs.mirrors));
  // A config with TLS for a registry that has no mirror entry still needs a hosts.toml.
  for (const [host, cfg] of Object.entries(regs.configs)) if (cfg?.tls) names.add(host);
  // the kubelet pulls rewritten names from the endpoints themselves
  for (const host of rewriteEndpoints(regs).keys()) names.add(host);
  const written: string[] = [];
  for (const name of [...names].sort()) {
    const dir = join(certsDir, name === "*" ? "_default" : name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "hosts.toml"), hostsToml(name, regs));
    written.push(dir);
  }
  return written;
}

/** Lists the registries that have a hosts.toml under certsDir. */
export function listCertsDir(certsDir: string): string[] {
  return existsSync(certsDir) ? readdirSync(certsDir).sort() : [];
}
