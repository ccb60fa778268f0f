/** Reads a kubeconfig's current context into PEMs, for clients that speak HTTPS directly. */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse } from "yaml";

/** The server and credentials of a kubeconfig's current context. */
export interface LoadedKubeconfig {
  server: string;
  caPEM?: string;
  certPEM?: string;
  keyPEM?: string;
  token?: string;
  insecureSkipTLSVerify: boolean;
}

type Fields = Record<string, unknown>;

function pick(list: unknown, name: string, field: string, path: string): Fields {
  const entries = Array.isArray(list) ? (list as Fields[]) : [];
  const found = entries.find((e) => e.name === name);
  const value = found?.[field];
  if (!value || typeof value !== "object") throw new Error(`kubeconfig ${path} has no ${field} named ${JSON.stringify(name)}`);
  return value as Fields;
}

function material(section: Fields, dataKey: string, fileKey: string, base: string): string | undefined {
  const data = section[dataKey];
  if (typeof data === "string") return Buffer.from(data, "base64").toString("utf8");
  const file = section[fileKey];
  if (typeof file === "string") return readFileSync(isAbsolute(file) ? file : resolve(base, file), "utf8");
  return undefined;
}

/** Loads the current context (cluster + user) of the kubeconfig at `path`. */
export function loadKubeconfig(path: string): LoadedKubeconfig {
  const doc = parse(readFileSync(path, "utf8")) as Fields | null;
  if (!doc || typeof doc !== "object") throw new Error(`kubeconfig ${path} is empty`);
  const contextName = String(doc["current-context"] ?? "");
  const context = pick(doc.contexts, contextName, "context", path);
  const cluster = pick(doc.clusters, String(context.cluster), "cluster", path);
  const user = pick(doc.users, String(context.user), "user", path);
  const base = dirname(path);
  if (typeof cluster.server !== "string") throw new Error(`kubeconfig ${path} cluster has no server`);
  return {
    server: cluster.server,
    caPEM: material(cluster, "certificate-authority-data", "certificate-authority", base),
    certPEM: material(user, "client-certificate-data", "client-certificate", base),
    keyPEM: material(user, "client-key-data", "client-key", base),
    token: typeof user.token === "string" ? user.token : undefined,
    insecureSkipTLSVerify: cluster["insecure-skip-tls-verify"] === true,
  };
}
