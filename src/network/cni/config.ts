/**
 * The CNI conflist for one node: a bridge with host-local IPAM on the node's
 * pod CIDR(s), portmap for hostPort and loopback, using Debian's plugins.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The file writeCniConfig writes (flannel's 10-flannel.conflist sorts first and wins when present). */
export const CNI_CONFIG_FILE = "10-k3s-bridge.conflist";

/** What the bridge network looks like. */
export interface CniConfigOptions {
  /** containerd's CNI conf dir (<dataDir>/agent/etc/cni/net.d) */
  confDir: string;
  /** the node's spec.podCIDRs (or [spec.podCIDR]); IPv4 and/or IPv6 */
  podCIDRs: string[];
  /** bridge device, default cni0 */
  bridge?: string;
  /** network name, default cbr0 (as k3s) */
  name?: string;
  /** host-local's lease dir; default /var/lib/cni/networks */
  ipamDataDir?: string;
  mtu?: number;
}

/** The conflist document. */
export function cniConflist(opts: CniConfigOptions): Record<string, unknown> {
  if (opts.podCIDRs.length === 0) throw new Error("cni config needs at least one pod cidr");
  for (const c of opts.podCIDRs) {
    if (!/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(c)) throw new Error(`invalid pod cidr ${JSON.stringify(c)}`);
  }
  const ranges = opts.podCIDRs.map((subnet) => [{ subnet }]);
  const routes = opts.podCIDRs.map((c) => ({ dst: c.includes(":") ? "::/0" : "0.0.0.0/0" }));
  const ipam: Record<string, unknown> = { type: "host-local", ranges, routes };
  if (opts.ipamDataDir) ipam.dataDir = opts.ipamDataDir;
  const bridge: Record<string, unknown> = {
    type: "bridge",
    bridge: opts.bridge ?? "cni0",
    isGateway: true,
    ipMasq: true,
    hairpinMode: true,
    ipam,
  };
  if (opts.mtu) bridge.mtu = opts.mtu;
  return {
    cniVersion: "1.0.0",
    name: opts.name ?? "cbr0",
    plugins: [bridge, { type: "portmap", capabilities: { portMappings: true } }, { type: "loopback" }],
  };
}

/** Writes the conflist atomically (containerd reloads the conf dir when it changes); returns its path. */
export function writeCniConfig(opts: CniConfigOptions): string {
  mkdirSync(opts.confDir, { recursive: true });
  const file = join(opts.confDir, CNI_CONFIG_FILE);
  const text = JSON.stringify(cniConflist(opts), null, 2) + "\n";
  try {
    if (readFileSync(file, "utf8") === text) return file;
  } catch {
    /* first write */
  }
  writeFileSync(file + ".tmp", text);
  renameSync(file + ".tmp", file);
  return file;
}

/** Removes the conflist (and stray temp files) writeCniConfig wrote. */
export function removeCniConfig(confDir: string): void {
  for (const f of readdirSafe(confDir)) {
    if (f.startsWith(CNI_CONFIG_FILE)) rmSync(join(confDir, f), { force: true });
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
