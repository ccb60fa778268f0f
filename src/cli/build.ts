/** Turns parsed flags into the ServerConfig / AgentConfig contracts, filling k3s's computed defaults. */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, homedir, networkInterfaces } from "node:os";
import { isIP } from "node:net";
import { join } from "node:path";
import { addressInCIDR } from "../server/pki/mod.ts";
import type { AgentConfig, ServerConfig } from "../server/config.ts";
import { CliError, usageError } from "./errors.ts";
import type { FlagReader } from "./parse.ts";

/** The sandbox image the agent builds locally (src/agent/images PAUSE_IMAGE; a test keeps the two equal). */
export const DEFAULT_PAUSE_IMAGE = "docker.io/k3s-ts/pause:3.10";

/** Facts about the host the defaults depend on; tests replace them. */
export interface HostFacts {
  isRoot: boolean;
  home: string;
  hostname: string;
  /** the address to advertise when --node-ip is not given */
  primaryIPv4?: string;
}

/** The default route's interface, from /proc/net/route. */
function defaultRouteInterface(): string | undefined {
  try {
    for (const line of readFileSync("/proc/net/route", "utf8").split("\n").slice(1)) {
      const [iface, destination] = line.trim().split(/\s+/);
      if (destination === "00000000") return iface;
    }
  } catch {
    // no procfs: fall back to the first interface below
  }
  return undefined;
}

/** The IPv4 of the default route's interface, else the first non-loopback IPv4. */
export function primaryIPv4(): string | undefined {
  const all = networkInterfaces();
  const v4 = (name: string): string | undefined => all[name]?.find((a) => a.family === "IPv4" && !a.internal)?.address;
  const preferred = defaultRouteInterface();
  if (preferred && v4(preferred)) return v4(preferred);
  for (const name of Object.keys(all)) {
    const addr = v4(name);
    if (addr) return addr;
  }
  return undefined;
}

/** The real host's facts. */
export function hostFacts(): HostFacts {
  return { isRoot: process.getuid?.() === 0, home: homedir(), hostname: hostname(), primaryIPv4: primaryIPv4() };
}

/** k3s's default data dir: /var/lib/rancher/k3s for root, ~/.rancher/k3s otherwise. */
export function defaultDataDir(host: HostFacts): string {
  return host.isRoot ? "/var/lib/rancher/k3s" : join(host.home, ".rancher", "k3s");
}

/** Parses a file mode given in octal ("644", "0644", "0o644"). */
export function parseMode(text: string): number {
  const digits = text.trim().replace(/^0o/i, "");
  if (!/^[0-7]{1,4}$/.test(digits)) throw usageError(`invalid file mode ${JSON.stringify(text)} for --write-kubeconfig-mode: expected octal like 0644`);
  return parseInt(digits, 8);
}

/** Parses "30000-32767". */
export function parsePortRange(text: string): [number, number] {
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2]) : NaN;
  if (!m || lo < 1 || hi > 65535 || lo > hi) throw usageError(`invalid --service-node-port-range ${JSON.stringify(text)}: expected <low>-<high> within 1-65535`);
  return [lo, hi];
}

/** The service CIDR's tenth address (10.43.0.0/16 → 10.43.0.10), k3s's default cluster DNS. */
export function defaultClusterDNS(serviceCIDR: string): string {
  try {
    return addressInCIDR(serviceCIDR.split(",")[0], 10);
  } catch {
    throw usageError(`invalid --service-cidr ${JSON.stringify(serviceCIDR)}`);
  }
}

function readSecretFile(path: string, flag: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (err) {
    throw new CliError(`cannot read ${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 1);
  }
}

/** The node id --with-node-id appends, kept in <data-dir>/agent/node-id so the name is stable across restarts. */
export function ensureNodeID(dataDir: string): string {
  const path = join(dataDir, "agent", "node-id");
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  const id = randomBytes(4).toString("hex");
  mkdirSync(join(dataDir, "agent"), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${id}\n`, { mode: 0o600 });
  return id;
}

function nodeName(flags: FlagReader, host: HostFacts, dataDir: string): string {
  const base = (flags.opt("node-name") ?? host.hostname).toLowerCase();
  return flags.bool("with-node-id") ? `${base}-${ensureNodeID(dataDir)}` : base;
}

function tokenFrom(flags: FlagReader, value: string, file: string): string | undefined {
  return flags.opt(value) ?? (flags.opt(file) ? readSecretFile(flags.str(file), `--${file}`) : undefined);
}

/** The node part shared by `k3s server`'s local agent and `k3s agent`. */
function agentPart(flags: FlagReader, host: HostFacts, dataDir: string): AgentConfig {
  const nodeIPs = flags.list("node-ip");
  for (const ip of [...nodeIPs, ...flags.list("node-external-ip")]) {
    if (!isIP(ip)) throw usageError(`invalid node IP ${JSON.stringify(ip)}`);
  }
  return {
    dataDir,
    nodeName: nodeName(flags, host, dataDir),
    nodeIPs: nodeIPs.length ? nodeIPs : host.primaryIPv4 ? [host.primaryIPv4] : [],
    nodeExternalIPs: flags.list("node-external-ip"),
    nodeLabels: flags.list("node-label"),
    nodeTaints: flags.list("node-taint"),
    kubeletArgs: flags.list("kubelet-arg"),
    kubeProxyArgs: flags.list("kube-proxy-arg"),
    containerRuntimeEndpoint: flags.opt("container-runtime-endpoint"),
    pauseImage: flags.opt("pause-image") ?? DEFAULT_PAUSE_IMAGE,
    privateRegistry: flags.str("private-registry"),
    resolvConf: flags.opt("resolv-conf"),
    flannelBackend: "vxlan",
    disableKubeProxy: false,
    disableNetworkPolicy: false,
    clusterDNS: "10.43.0.10",
    clusterDomain: "cluster.local",
    debug: flags.bool("debug"),
  };
}

/** ServerConfig from the flags of `k3s server`. */
export function buildServerConfig(flags: FlagReader, host: HostFacts = hostFacts()): ServerConfig {
  const dataDir = flags.opt("data-dir") ?? defaultDataDir(host);
  const serviceCIDR = flags.str("service-cidr");
  const clusterDNS = flags.opt("cluster-dns") ?? defaultClusterDNS(serviceCIDR);
  const clusterDomain = flags.str("cluster-domain");
  const port = flags.int("https-listen-port");
  if (port < 1 || port > 65535) throw usageError(`invalid --https-listen-port ${port}`);
  const agent = agentPart(flags, host, dataDir);
  return {
    dataDir,
    token: tokenFrom(flags, "token", "token-file"),
    agentToken: tokenFrom(flags, "agent-token", "agent-token-file"),
    httpsListenPort: port,
    supervisorPort: flags.int("supervisor-port"),
    bindAddress: flags.str("bind-address"),
    advertiseAddress: flags.opt("advertise-address"),
    advertisePort: flags.isSet("advertise-port") ? flags.int("advertise-port") : undefined,
    tlsSANs: flags.list("tls-san"),
    clusterCIDR: flags.str("cluster-cidr"),
    serviceCIDR,
    serviceNodePortRange: parsePortRange(flags.str("service-node-port-range")),
    clusterDNS,
    clusterDomain,
    writeKubeconfig: flags.str("write-kubeconfig"),
    writeKubeconfigMode: flags.opt("write-kubeconfig-mode") ? parseMode(flags.str("write-kubeconfig-mode")) : 0o600,
    disable: flags.list("disable"),
    disableAgent: flags.bool("disable-agent"),
    disableScheduler: flags.bool("disable-scheduler"),
    disableHelmController: flags.bool("disable-helm-controller"),
    datastoreEndpoint: flags.opt("datastore-endpoint"),
    datastoreCAFile: flags.opt("datastore-cafile"),
    datastoreCertFile: flags.opt("datastore-certfile"),
    datastoreKeyFile: flags.opt("datastore-keyfile"),
    etcdListenAddress: flags.opt("etcd-listen-address"),
    kubeAPIServerArgs: flags.list("kube-apiserver-arg"),
    kubeControllerManagerArgs: flags.list("kube-controller-manager-arg"),
    kubeSchedulerArgs: flags.list("kube-scheduler-arg"),
    defaultLocalStoragePath: flags.opt("default-local-storage-path") ?? join(dataDir, "storage"),
    debug: flags.bool("debug"),
    agent: {
      ...agent,
      flannelBackend: flags.str("flannel-backend"),
      disableKubeProxy: flags.bool("disable-kube-proxy"),
      disableNetworkPolicy: flags.bool("disable-network-policy"),
      clusterDNS,
      clusterDomain,
    },
  };
}

/** AgentConfig from the flags of `k3s agent`; --server and a token are required. */
export function buildAgentConfig(flags: FlagReader, host: HostFacts = hostFacts()): AgentConfig {
  const dataDir = flags.opt("data-dir") ?? defaultDataDir(host);
  const serverURL = flags.opt("server");
  if (!serverURL) throw new CliError("--server is required (or K3S_URL)", 1);
  if (!/^https:\/\/[^/\s]+/.test(serverURL)) throw new CliError(`--server ${serverURL} must be an https:// URL`, 1);
  const token = tokenFrom(flags, "token", "token-file");
  if (!token) throw new CliError("--token or --token-file is required (or K3S_TOKEN)", 1);
  return { ...agentPart(flags, host, dataDir), serverURL, token };
}
