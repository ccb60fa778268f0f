/**
 * `k3s token create|list|delete|generate|rotate`: bootstrap tokens are
 * Secrets kube-system/bootstrap-token-<id> of type bootstrap.kubernetes.io/token,
 * managed through the API with the admin kubeconfig.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { caHash, generateBootstrapToken, parseToken } from "../../server/token/mod.ts";
import { loadKubeconfig } from "../../server/kubeconfig/mod.ts";
import { defaultDataDir, hostFacts } from "../build.ts";
import { CliError, usageError } from "../errors.ts";
import type { FlagDef } from "../flags.ts";
import { DEFAULT_KUBECONFIG } from "../flags.ts";
import { renderHelp } from "../help.ts";
import { parseFlags, reader } from "../parse.ts";
import type { FlagReader } from "../parse.ts";
import { callAPI, statusMessage } from "./api.ts";

const SECRETS = "/api/v1/namespaces/kube-system/secrets";
const TOKEN_TYPE = "bootstrap.kubernetes.io/token";
const DEFAULT_GROUPS = "system:bootstrappers:k3s:default-node-token";

const shared: FlagDef[] = [
  { name: "data-dir", aliases: ["d"], env: ["K3S_DATA_DIR"], kind: "string", usage: "Folder to hold state (default: /var/lib/rancher/k3s or ${HOME}/.rancher/k3s if not root)", category: "data" },
  { name: "kubeconfig", env: ["KUBECONFIG"], kind: "string", default: DEFAULT_KUBECONFIG, usage: "Server to connect to", category: "client" },
];

const createFlags: FlagDef[] = [
  ...shared,
  { name: "description", kind: "string", usage: "A human friendly description of how this token is used", category: "token" },
  { name: "groups", kind: "list", split: true, default: [DEFAULT_GROUPS], usage: "Extra groups that this token will authenticate as when used for authentication", category: "token" },
  { name: "ttl", kind: "string", default: "24h0m0s", usage: "The duration before the token is automatically deleted (e.g. 1s, 2m, 3h). If set to '0', the token will never expire", category: "token" },
  { name: "usages", kind: "list", split: true, default: ["signing", "authentication"], usage: "Describes the ways in which this token can be used", category: "token" },
];

const rotateFlags: FlagDef[] = [
  ...shared,
  { name: "server", aliases: ["s"], env: ["K3S_URL"], kind: "string", default: "https://127.0.0.1:6443", usage: "Server to connect to", category: "client" },
  { name: "token", aliases: ["t"], env: ["K3S_TOKEN"], kind: "string", usage: "Existing token used to join a server or agent to a cluster", category: "cluster" },
  { name: "new-token", env: ["K3S_NEW_TOKEN"], kind: "string", usage: "New token that replaces existing token", category: "cluster" },
];

const SUBCOMMANDS: [string, string][] = [
  ["create", "Create bootstrap tokens on the server"],
  ["delete", "Delete bootstrap tokens on the server"],
  ["generate", "Generate and print a bootstrap token, but do not create it on the server"],
  ["list", "List bootstrap tokens on the server"],
  ["rotate", "Rotate original server token with a new server token"],
];

/** Parses a Go duration like 24h0m0s, 90m, 1.5h; "0" means no expiry. */
export function parseDuration(text: string): number {
  if (text.trim() === "0") return 0;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let rest = text.trim();
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!m) throw usageError(`invalid duration ${JSON.stringify(text)}: expected like 24h, 30m, 1h30m`);
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}

function kubeconfigOf(flags: FlagReader): string {
  return flags.str("kubeconfig");
}

function serverCAHash(flags: FlagReader): string {
  const dataDir = flags.opt("data-dir") ?? defaultDataDir(hostFacts());
  try {
    return caHash(readFileSync(join(dataDir, "server", "tls", "server-ca.crt")));
  } catch {
    // not on the server itself: the kubeconfig carries the same CA bytes k3s serves on /cacerts
    const ca = loadKubeconfig(kubeconfigOf(flags)).caPEM;
    if (!ca) throw new CliError(`kubeconfig ${kubeconfigOf(flags)} has no certificate authority to hash`, 1);
    return caHash(ca);
  }
}

function tokenID(arg: string): string {
  const parsed = parseToken(arg);
  if (parsed.bootstrap) return parsed.bootstrap.id;
  if (/^[a-z0-9]{6}$/.test(arg)) return arg;
  throw usageError(`${JSON.stringify(arg)} is not a bootstrap token id (6 characters [a-z0-9]) or token`);
}

async function create(flags: FlagReader, args: string[]): Promise<number> {
  const token = args[0] ?? generateBootstrapToken();
  const parsed = parseToken(token);
  if (!parsed.bootstrap) throw usageError(`token ${JSON.stringify(token)} must be of the form [a-z0-9]{6}.[a-z0-9]{16}`);
  const ttl = parseDuration(flags.str("ttl"));
  const data: Record<string, string> = { "token-id": parsed.bootstrap.id, "token-secret": parsed.bootstrap.secret };
  for (const usage of flags.list("usages")) data[`usage-bootstrap-${usage}`] = "true";
  if (flags.list("groups").length) data["auth-extra-groups"] = flags.list("groups").join(",");
  if (flags.opt("description")) data.description = flags.str("description");
  if (ttl > 0) data.expiration = new Date(Date.now() + ttl).toISOString().replace(/\.\d+Z$/, "Z");
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: `bootstrap-token-${parsed.bootstrap.id}`, namespace: "kube-system" },
    type: TOKEN_TYPE,
    stringData: data,
  };
  const hash = serverCAHash(flags);
  const result = await callAPI(kubeconfigOf(flags), { method: "POST", path: SECRETS, body: secret });
  if (result.status === 409) throw new CliError(`bootstrap token ${parsed.bootstrap.id} already exists`, 1);
  if (result.status >= 300) throw new CliError(`cannot create bootstrap token: ${statusMessage(result)}`, 1);
  process.stdout.write(`K10${hash}::${token}\n`);
  return 0;
}

interface SecretItem {
  metadata?: { name?: string };
  type?: string;
  data?: Record<string, string>;
}

function humanTTL(expiration: string | undefined): string {
  if (!expiration) return "<forever>";
  const ms = Date.parse(expiration) - Date.now();
  if (ms <= 0) return "<invalid>";
  const h = Math.floor(ms / 3_600_000);
  return h >= 48 ? `${Math.floor(h / 24)}d` : h >= 1 ? `${h}h` : `${Math.max(1, Math.floor(ms / 60_000))}m`;
}

async function list(flags: FlagReader): Promise<number> {
  const result = await callAPI(kubeconfigOf(flags), { method: "GET", path: SECRETS });
  if (result.status >= 300) throw new CliError(`cannot list bootstrap tokens: ${statusMessage(result)}`, 1);
  const items = ((result.body as { items?: SecretItem[] })?.items ?? []).filter((s) => s.type === TOKEN_TYPE);
  const rows = [["TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"]];
  for (const item of items) {
    const d = Object.fromEntries(Object.entries(item.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
    const usages = Object.keys(d).filter((k) => k.startsWith("usage-bootstrap-") && d[k] === "true").map((k) => k.slice(16)).sort();
    rows.push([
      `${d["token-id"] ?? "?"}.${d["token-secret"] ?? "?"}`,
      humanTTL(d.expiration),
      d.expiration ?? "<never>",
      usages.join(",") || "<none>",
      d.description ?? "<none>",
      d["auth-extra-groups"] ?? "<none>",
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  process.stdout.write(rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("   ").trimEnd()).join("\n") + "\n");
  return 0;
}

async function remove(flags: FlagReader, args: string[]): Promise<number> {
  if (args.length === 0) throw usageError("missing token id to delete");
  for (const arg of args) {
    const id = tokenID(arg);
    const result = await callAPI(kubeconfigOf(flags), { method: "DELETE", path: `${SECRETS}/bootstrap-token-${id}` });
    if (result.status === 404) throw new CliError(`bootstrap token ${JSON.stringify(id)} not found`, 1);
    if (result.status >= 300) throw new CliError(`cannot delete bootstrap token ${id}: ${statusMessage(result)}`, 1);
    process.stdout.write(`bootstrap token "${id}" deleted\n`);
  }
  return 0;
}

async function rotate(flags: FlagReader): Promise<number> {
  const dataDir = flags.opt("data-dir") ?? defaultDataDir(hostFacts());
  const current = flags.opt("token") ?? readOptional(join(dataDir, "server", "token"));
  if (!current) throw new CliError("--token is required (the current server token)", 1);
  const next = flags.opt("new-token");
  if (!next) throw new CliError("--new-token is required", 1);
  const password = parseToken(current).password;
  const result = await callAPI(kubeconfigOf(flags), {
    method: "PUT",
    path: "/v1-k3s/token",
    server: flags.str("server"),
    basicAuth: `server:${password}`,
    body: { token: parseToken(next).password },
  });
  if (result.status === 404) throw new CliError(`server ${flags.str("server")} does not offer token rotation (PUT /v1-k3s/token)`, 1);
  if (result.status >= 300) throw new CliError(`token rotation failed: ${statusMessage(result)}`, 1);
  process.stdout.write("Token rotated, restart k3s nodes with new token\n");
  return 0;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Runs `k3s token <sub> ...`; returns the exit code. */
export async function runToken(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  const wantsHelp = (a: string[]): boolean => a.includes("--help") || a.includes("-h");
  if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
    process.stdout.write(renderHelp({ command: "k3s token", summary: "Manage tokens", usage: "k3s token command [command options]", commands: SUBCOMMANDS }));
    return 0;
  }
  const defs = sub === "create" ? createFlags : sub === "rotate" ? rotateFlags : shared;
  if (!SUBCOMMANDS.some(([n]) => n === sub)) throw usageError(`unknown token command ${JSON.stringify(sub)}; expected one of ${SUBCOMMANDS.map(([n]) => n).join(", ")}`);
  if (wantsHelp(rest)) {
    const summary = SUBCOMMANDS.find(([n]) => n === sub)?.[1] ?? "";
    process.stdout.write(renderHelp({ command: `k3s token ${sub}`, summary, usage: `k3s token ${sub} [command options]${sub === "create" ? " [token]" : sub === "delete" ? " <id>..." : ""}`, flags: defs }));
    return 0;
  }
  const parsed = parseFlags(rest, defs, { env, command: `token ${sub}` });
  const flags = reader(parsed);
  switch (sub) {
    case "generate":
      if (parsed.positional.length) throw usageError(`k3s token generate takes no arguments, got ${JSON.stringify(parsed.positional[0])}`);
      process.stdout.write(`${generateBootstrapToken()}\n`);
      return 0;
    case "create":
      if (parsed.positional.length > 1) throw usageError("k3s token create takes at most one token argument");
      return create(flags, parsed.positional);
    case "list":
      return list(flags);
    case "delete":
      return remove(flags, parsed.positional);
    default:
      return rotate(flags);
  }
}
