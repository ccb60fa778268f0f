/**
 * `k3s check-config`: whether this host has what a k3s-ts node needs
 * (kernel features, cgroups, containerd, runc, CNI plugins, iptables), in
 * the report shape of k3s's check-config.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { release } from "node:os";
import { join } from "node:path";
import { which } from "./exec.ts";

/** One line of the report. */
export interface Check {
  section: "System" | "Generally Necessary" | "Optional Features";
  name: string;
  ok: boolean;
  detail: string;
  /** a miss here makes the node unusable */
  fatal: boolean;
}

/** Where to look; tests point these at a prepared tree. */
export interface CheckOptions {
  /** prefix for /proc, /sys, /usr/lib/cni and /lib/modules (default "/") */
  root?: string;
  /** PATH to find binaries on */
  path?: string;
}

const CNI_PLUGINS = ["bridge", "host-local", "portmap", "loopback"];

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function cgroupCheck(root: string): Check {
  const v2 = read(join(root, "sys/fs/cgroup/cgroup.controllers"));
  const wanted = ["cpu", "memory", "pids"];
  if (v2 !== undefined) {
    const have = v2.trim().split(/\s+/);
    const missing = wanted.filter((c) => !have.includes(c));
    return { section: "Generally Necessary", name: "cgroup hierarchy", ok: missing.length === 0, fatal: true, detail: missing.length ? `cgroups V2 mounted, missing controllers: ${missing.join(", ")}` : `cgroups V2 mounted, ${wanted.join("|")} controllers status: good` };
  }
  const v1 = read(join(root, "proc/cgroups"));
  if (v1 !== undefined) {
    const enabled = v1.split("\n").filter((l) => !l.startsWith("#")).map((l) => l.split(/\s+/)).filter((f) => f[3] === "1").map((f) => f[0]);
    const missing = wanted.filter((c) => !enabled.includes(c));
    return { section: "Generally Necessary", name: "cgroup hierarchy", ok: missing.length === 0, fatal: true, detail: missing.length ? `cgroups V1, missing controllers: ${missing.join(", ")}` : "cgroups V1 mounted, controllers status: good" };
  }
  return { section: "Generally Necessary", name: "cgroup hierarchy", ok: false, fatal: true, detail: "no cgroup filesystem found" };
}

function binary(name: string, path: string, fatal: boolean, versionArgs?: string[]): Check {
  const found = which(name, path);
  let detail = found ? found : "missing";
  if (found && versionArgs) {
    try {
      const first = execFileSync(found, versionArgs, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 5000 }).split("\n")[0].trim();
      if (first) detail = `${found} (${first})`;
    } catch {
      // the binary exists; its version is only decoration
    }
  }
  return { section: fatal ? "Generally Necessary" : "Optional Features", name, ok: found !== undefined, fatal, detail };
}

function overlayCheck(root: string): Check {
  const fs = read(join(root, "proc/filesystems")) ?? "";
  if (/\boverlay\b/.test(fs)) return { section: "Generally Necessary", name: "overlay", ok: true, fatal: true, detail: "enabled" };
  const moduleDir = join(root, "lib/modules", release(), "kernel/fs/overlayfs");
  const loadable = existsSync(moduleDir) && readdirSync(moduleDir).some((f) => f.startsWith("overlay"));
  return { section: "Generally Necessary", name: "overlay", ok: loadable, fatal: true, detail: loadable ? "module (not loaded yet)" : "missing" };
}

function sysctl(root: string, key: string, want: string, fatal: boolean, hint: string): Check {
  const value = read(join(root, "proc/sys", key.replace(/\./g, "/")))?.trim();
  const ok = value === want;
  return { section: fatal ? "Generally Necessary" : "Optional Features", name: key, ok, fatal, detail: value === undefined ? `missing (${hint})` : ok ? value : `${value} (${hint})` };
}

/** Runs every check. */
export function runChecks(options: CheckOptions = {}): Check[] {
  const root = options.root ?? "/";
  const path = options.path ?? process.env.PATH ?? "";
  const major = Number(process.versions.node.split(".")[0]);
  const checks: Check[] = [
    { section: "System", name: "kernel", ok: process.platform === "linux", fatal: true, detail: `${process.platform} ${release()}` },
    { section: "System", name: "node", ok: major >= 20, fatal: true, detail: process.version },
    binary("iptables", path, true, ["--version"]),
    cgroupCheck(root),
    overlayCheck(root),
    binary("containerd", path, true, ["--version"]),
    binary("runc", path, true, ["--version"]),
    ...CNI_PLUGINS.map((p): Check => {
      const file = join(root, "usr/lib/cni", p);
      return { section: "Generally Necessary", name: `cni plugin ${p}`, ok: existsSync(file), fatal: true, detail: existsSync(file) ? file : `${file} missing (Debian package containernetworking-plugins)` };
    }),
    binary("ctr", path, false),
    binary("ip", path, false),
    binary("conntrack", path, false),
    binary("kubectl", path, false),
    sysctl(root, "net.ipv4.ip_forward", "1", false, "the agent turns it on at start"),
    sysctl(root, "net.bridge.bridge-nf-call-iptables", "1", false, "load br_netfilter for service traffic between pods on one node"),
    {
      section: "Optional Features",
      name: "vxlan",
      ok: existsSync(join(root, "sys/module/vxlan")) || existsSync(join(root, "lib/modules", release(), "kernel/drivers/net/vxlan")),
      fatal: false,
      detail: "needed by flannel's default vxlan backend",
    },
  ];
  return checks;
}

/** The report text and the exit code (1 when a fatal check failed). */
export function checkConfigReport(checks: Check[]): { text: string; exitCode: number } {
  const lines: string[] = [];
  for (const section of ["System", "Generally Necessary", "Optional Features"] as const) {
    lines.push(`${section}:`);
    for (const c of checks.filter((x) => x.section === section)) {
      const status = c.ok ? "ok" : c.fatal ? "missing (fail)" : "missing";
      lines.push(`- ${c.name}: ${status}${c.detail && c.detail !== "missing" ? ` - ${c.detail}` : ""}`);
    }
    lines.push("");
  }
  const failed = checks.filter((c) => c.fatal && !c.ok);
  lines.push(failed.length ? `STATUS: ${failed.length} (fail): ${failed.map((c) => c.name).join(", ")}` : "STATUS: pass");
  return { text: `${lines.join("\n")}\n`, exitCode: failed.length ? 1 : 0 };
}
