/**
 * `k3s certificate check|rotate`: report the data dir's certificates and
 * their expiry; rotate backs up server/tls and removes the chosen leaf
 * certificates and keys so the next start issues new ones (CAs are kept).
 */
import { X509Certificate } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { defaultDataDir, hostFacts } from "../build.ts";
import { CliError, usageError } from "../errors.ts";
import type { FlagDef } from "../flags.ts";
import { renderHelp } from "../help.ts";
import { parseFlags, reader } from "../parse.ts";

/** k3s's service names and the files (without .crt/.key) each owns. */
export const CERTIFICATE_SERVICES: Record<string, string[]> = {
  admin: ["server/tls/client-admin"],
  "api-server": ["server/tls/client-kube-apiserver", "server/tls/serving-kube-apiserver"],
  "controller-manager": ["server/tls/client-controller"],
  scheduler: ["server/tls/client-scheduler"],
  "k3s-controller": ["server/tls/client-k3s-controller", "agent/client-k3s-controller"],
  "k3s-server": ["server/tls/client-supervisor"],
  "auth-proxy": ["server/tls/client-auth-proxy"],
  "kube-proxy": ["server/tls/client-kube-proxy", "agent/client-kube-proxy"],
  kubelet: ["agent/client-kubelet", "agent/serving-kubelet"],
};

const flags: FlagDef[] = [
  { name: "data-dir", aliases: ["d"], env: ["K3S_DATA_DIR"], kind: "string", usage: "Folder to hold state (default: /var/lib/rancher/k3s or ${HOME}/.rancher/k3s if not root)", category: "data" },
  { name: "service", aliases: ["s"], kind: "list", split: true, usage: `List of services to manage certificates for (${Object.keys(CERTIFICATE_SERVICES).join(", ")}; default: all)`, category: "certificate" },
  { name: "output", aliases: ["o"], kind: "string", default: "text", usage: "Format output: text or table", category: "certificate" },
];

const SUBCOMMANDS: [string, string][] = [
  ["check", "Check K3s component certificates on disk"],
  ["rotate", "Rotate K3s component certificates on disk (k3s must be stopped)"],
  ["rotate-ca", "Write updated K3s CA certificates to the datastore (not implemented in k3s-ts yet)"],
];

/** One certificate file's facts. */
export interface CertificateStatus {
  service: string;
  file: string;
  subject: string;
  notAfter: Date;
  status: "OK" | "WARNING" | "EXPIRED";
}

function selected(services: string[]): string[] {
  if (services.length === 0) return Object.keys(CERTIFICATE_SERVICES);
  for (const s of services) {
    if (!(s in CERTIFICATE_SERVICES)) throw usageError(`unknown certificate service ${JSON.stringify(s)}; expected one of ${Object.keys(CERTIFICATE_SERVICES).join(", ")}`);
  }
  return services;
}

/** The leaf certificates of the chosen services that exist under `dataDir`. */
export function checkCertificates(dataDir: string, services: string[] = []): CertificateStatus[] {
  const out: CertificateStatus[] = [];
  for (const service of selected(services)) {
    for (const base of CERTIFICATE_SERVICES[service]) {
      const file = join(dataDir, `${base}.crt`);
      if (!existsSync(file)) continue;
      const cert = new X509Certificate(readFileSync(file));
      const notAfter = new Date(cert.validTo);
      const daysLeft = (notAfter.getTime() - Date.now()) / 86_400_000;
      out.push({ service, file, subject: cert.subject.replace(/\n/g, ","), notAfter, status: daysLeft <= 0 ? "EXPIRED" : daysLeft < 120 ? "WARNING" : "OK" });
    }
  }
  return out;
}

function residual(notAfter: Date): string {
  const ms = notAfter.getTime() - Date.now();
  if (ms <= 0) return "expired";
  const days = Math.floor(ms / 86_400_000);
  return days >= 1 ? `${days}d` : `${Math.floor(ms / 3_600_000)}h`;
}

function render(statuses: CertificateStatus[], output: string): string {
  if (output === "table") {
    const rows = [["FILENAME", "SUBJECT", "EXPIRES", "RESIDUAL TIME", "STATUS"]];
    for (const s of statuses) rows.push([s.file.split("/").pop() ?? s.file, s.subject, s.notAfter.toISOString(), residual(s.notAfter), s.status]);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("   ").trimEnd()).join("\n") + "\n";
  }
  if (output !== "text") throw usageError(`invalid --output ${JSON.stringify(output)}: expected text or table`);
  return statuses.map((s) => `${s.service}: certificate ${s.file.split("/").pop()} (${s.subject}) is ${s.status === "OK" ? "ok" : s.status.toLowerCase()}, expires at ${s.notAfter.toISOString()}`).join("\n") + "\n";
}

/** Backs up server/tls to server/tls-<unix> and removes the chosen services' certificates and keys; returns the backup path. */
export function rotateCertificates(dataDir: string, services: string[] = []): { backup: string; removed: string[] } {
  const tlsDir = join(dataDir, "server", "tls");
  if (!existsSync(tlsDir)) throw new CliError(`no certificates to rotate: ${tlsDir} does not exist`, 1);
  const backup = join(dataDir, "server", `tls-${Math.floor(Date.now() / 1000)}`);
  cpSync(tlsDir, backup, { recursive: true, preserveTimestamps: true });
  const removed: string[] = [];
  for (const service of selected(services)) {
    for (const base of CERTIFICATE_SERVICES[service]) {
      for (const ext of [".crt", ".key"]) {
        const file = join(dataDir, `${base}${ext}`);
        if (existsSync(file)) {
          rmSync(file);
          removed.push(file);
        }
      }
    }
  }
  return { backup, removed };
}

/** Runs `k3s certificate <sub> ...`; returns the exit code. */
export function runCertificate(argv: string[], env: Record<string, string | undefined> = process.env): number {
  const [sub, ...rest] = argv;
  if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
    process.stdout.write(renderHelp({ command: "k3s certificate", summary: "Manage K3s certificates", usage: "k3s certificate command [command options]", commands: SUBCOMMANDS }));
    return 0;
  }
  if (!SUBCOMMANDS.some(([n]) => n === sub)) throw usageError(`unknown certificate command ${JSON.stringify(sub)}; expected one of ${SUBCOMMANDS.map(([n]) => n).join(", ")}`);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(renderHelp({ command: `k3s certificate ${sub}`, summary: SUBCOMMANDS.find(([n]) => n === sub)?.[1] ?? "", usage: `k3s certificate ${sub} [command options]`, flags }));
    return 0;
  }
  if (sub === "rotate-ca") throw new CliError("k3s certificate rotate-ca is not implemented in k3s-ts yet", 1);
  const parsed = parseFlags(rest, flags, { env, command: `certificate ${sub}` });
  if (parsed.positional.length) throw usageError(`k3s certificate ${sub} takes no arguments, got ${JSON.stringify(parsed.positional[0])}`);
  const f = reader(parsed);
  const dataDir = f.opt("data-dir") ?? defaultDataDir(hostFacts());
  if (sub === "check") {
    const statuses = checkCertificates(dataDir, f.list("service"));
    if (statuses.length === 0) throw new CliError(`no certificates found under ${dataDir}`, 1);
    process.stdout.write(render(statuses, f.str("output")));
    return statuses.some((s) => s.status === "EXPIRED") ? 1 : 0;
  }
  const { backup, removed } = rotateCertificates(dataDir, f.list("service"));
  process.stdout.write(`backed up ${join(dataDir, "server", "tls")} to ${backup}\n`);
  for (const file of removed) process.stdout.write(`removed ${file}\n`);
  process.stdout.write("certificates will be regenerated with new keys on the next start of k3s\n");
  return 0;
}

/** Names of the files under server/tls (for tests and messages). */
export function tlsFiles(dataDir: string): string[] {
  const dir = join(dataDir, "server", "tls");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
