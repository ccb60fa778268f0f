/** Parses k3s's --datastore-endpoint into a driver choice. */
import { join } from "node:path";

/** A parsed datastore endpoint. */
export type Endpoint =
  | { driver: "sqlite"; path: string; params: URLSearchParams }
  | { driver: "postgres"; url: string; database: string }
  | { driver: "mysql"; user: string; password: string; host: string; port: number; socketPath?: string; database: string; params: URLSearchParams }
  /** an external etcd cluster: its client URLs (scheme://host:port), tried in order */
  | { driver: "etcd"; endpoints: string[] };

/** Options of parseEndpoint. */
export interface ParseEndpointOptions {
  dataDir: string;
}

/** turns an endpoint string (or none) into driver settings; throws naming the bad part */
export function parseEndpoint(endpoint: string | undefined, opts: ParseEndpointOptions): Endpoint {
  if (!endpoint) return { driver: "sqlite", path: join(opts.dataDir, "server", "db", "state.db"), params: new URLSearchParams() };
  const scheme = /^([a-z0-9+]+):\/\//i.exec(endpoint)?.[1]?.toLowerCase();
  if (!scheme) throw new Error(`datastore endpoint ${JSON.stringify(endpoint)}: missing scheme (sqlite://, postgres://, mysql://)`);
  const rest = endpoint.slice(scheme.length + 3);
  switch (scheme) {
    case "sqlite":
      return parseSqlite(rest, opts);
    case "postgres":
    case "postgresql":
      return parsePostgres(endpoint);
    case "mysql":
      return parseMysql(rest);
    case "http":
    case "https":
      return { driver: "etcd", endpoints: endpoint.split(",").map((part, i) => parseEtcdUrl(part.trim(), i)) };
    default:
      throw new Error(`datastore endpoint ${JSON.stringify(endpoint)}: unknown scheme ${JSON.stringify(scheme)}`);
  }
}

/** etcd's default client port, used when a URL names none (clientv3 would refuse the address) */
const ETCD_CLIENT_PORT = 2379;

function parseEtcdUrl(part: string, index: number): string {
  const what = `datastore endpoint part ${index + 1} ${JSON.stringify(redact(part))}`;
  if (!part) throw new Error(`${what}: empty etcd URL (check the commas)`);
  let url: URL;
  try {
    url = new URL(part);
  } catch {
    throw new Error(`${what}: not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`${what}: scheme ${JSON.stringify(url.protocol.slice(0, -1))} is not http or https`);
  if (!url.hostname) throw new Error(`${what}: missing host`);
  if (url.pathname !== "/" && url.pathname !== "") throw new Error(`${what}: etcd URLs take no path, got ${JSON.stringify(url.pathname)}`);
  if (url.search || url.hash) throw new Error(`${what}: etcd URLs take no query or fragment`);
  if (url.username || url.password) throw new Error(`${what}: etcd user names and passwords are not supported, use client certificates`);
  return `${url.protocol}//${url.hostname}:${url.port || ETCD_CLIENT_PORT}`;
}

function parseSqlite(rest: string, opts: ParseEndpointOptions): Endpoint {
  const q = rest.indexOf("?");
  const file = q >= 0 ? rest.slice(0, q) : rest;
  const params = new URLSearchParams(q >= 0 ? rest.slice(q + 1) : "");
  const path = file === "" ? join(opts.dataDir, "server", "db", "state.db") : file;
  return { driver: "sqlite", path, params };
}

function parsePostgres(endpoint: string): Endpoint {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`datastore endpoint ${JSON.stringify(redact(endpoint))}: not a valid postgres URL`);
  }
  if (!url.hostname && !url.searchParams.get("host")) throw new Error(`datastore endpoint ${JSON.stringify(redact(endpoint))}: missing host`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "kubernetes";
  url.pathname = `/${database}`;
  return { driver: "postgres", url: url.toString(), database };
}

function parseMysql(rest: string): Endpoint {
  // go-sql-driver DSN: [user[:password]@][protocol[(address)]]/dbname[?params]
  const m = /^(?:([^:@]*)(?::([^@]*))?@)?(?:(tcp|unix)\(([^)]*)\))?\/([^?]*)(?:\?(.*))?$/.exec(rest);
  if (!m) throw new Error(`datastore endpoint mysql://${redact(rest)}: expected user:pass@tcp(host:port)/database`);
  const [, user = "root", password = "", protocol = "tcp", address = "", db, query = ""] = m;
  const database = db || "kubernetes";
  if (protocol === "unix") {
    return { driver: "mysql", user, password, host: "", port: 0, socketPath: address, database, params: new URLSearchParams(query) };
  }
  const addr = address || "127.0.0.1:3306";
  const colon = addr.lastIndexOf(":");
  const host = colon >= 0 ? addr.slice(0, colon) : addr;
  const port = colon >= 0 ? Number(addr.slice(colon + 1)) : 3306;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`datastore endpoint: bad mysql port in ${JSON.stringify(addr)}`);
  return { driver: "mysql", user, password, host: host.replace(/^\[|\]$/g, ""), port, database, params: new URLSearchParams(query) };
}

/** the endpoint with its password hidden, for messages */
export function redact(endpoint: string): string {
  // a URL (scheme://user:pw@host) or a go-sql-driver DSN without its scheme (user:pw@tcp(host))
  if (endpoint.includes("//")) return endpoint.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
  return endpoint.replace(/^([^:/@]*:)[^@]*@/, "$1***@");
}
