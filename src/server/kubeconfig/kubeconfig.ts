/**
 * Kubeconfig files as k3s writes them: one cluster, context and user all
 * named "default", with certificates embedded (admin) or referenced by path
 * (components under server/cred).
 */
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { stringify } from "yaml";
import { writeFileAtomic } from "../pki/files.ts";

/** An admin-style kubeconfig with embedded PEMs. */
export interface EmbeddedKubeconfig {
  /** https://host:port */
  server: string;
  caPEM: string;
  certPEM: string;
  keyPEM: string;
  /** file mode; default 0o600 */
  mode?: number;
}

/** A component kubeconfig that references certificate files. */
export interface FileKubeconfig {
  server: string;
  caPath: string;
  certPath: string;
  keyPath: string;
  mode?: number;
}

function b64(pem: string): string {
  return Buffer.from(pem).toString("base64");
}

function document(server: string, cluster: Record<string, string>, user: Record<string, string>): string {
  return stringify({
    apiVersion: "v1",
    clusters: [{ cluster: { ...cluster, server }, name: "default" }],
    contexts: [{ context: { cluster: "default", user: "default" }, name: "default" }],
    "current-context": "default",
    kind: "Config",
    preferences: {},
    users: [{ name: "default", user }],
  });
}

/** The YAML text of a kubeconfig with embedded certificates. */
export function renderKubeconfig(options: EmbeddedKubeconfig): string {
  return document(
    options.server,
    { "certificate-authority-data": b64(options.caPEM) },
    { "client-certificate-data": b64(options.certPEM), "client-key-data": b64(options.keyPEM) },
  );
}

function writeIfChanged(path: string, text: string, mode: number, dirMode: number): void {
  if (existsSync(path) && readFileSync(path, "utf8") === text) {
    chmodSync(path, mode);
    return;
  }
  writeFileAtomic(path, text, { mode, dirMode });
}

/** Writes a kubeconfig with embedded certificates (atomically, with the given mode). */
export function writeKubeconfig(path: string, options: EmbeddedKubeconfig): void {
  // a created /etc/rancher/k3s stays traversable so --write-kubeconfig-mode 644 means what it says
  writeIfChanged(path, renderKubeconfig(options), options.mode ?? 0o600, 0o755);
}

/** Writes a kubeconfig whose certificates are read from files at use time. */
export function writeFileKubeconfig(path: string, options: FileKubeconfig): void {
  const text = document(
    options.server,
    { "certificate-authority": options.caPath },
    { "client-certificate": options.certPath, "client-key": options.keyPath },
  );
  writeIfChanged(path, text, options.mode ?? 0o600, 0o700);
}
