/** The datastore (kine in TypeScript): a Backend over SQLite, PostgreSQL or MySQL, and the etcd v3 API over it; or an external etcd cluster directly. */
import { parseEndpoint, type Endpoint } from "./endpoint.ts";
import { sqliteStore } from "./drivers/mod.ts";
import { LogBackend, type KineBackend, type LogBackendOptions, type Store } from "./log/mod.ts";
import type { TlsPaths } from "./external/mod.ts";

export type { Backend, KeyValue, ListOptions, ListResult, WatchEvent, WatchOptions } from "./backend.ts";
export { CompactedError, ConflictError, FutureRevisionError } from "./backend.ts";
export type { KineBackend, PutOptions, LeaseStatus, Compare, TxnOp, TxnRequest, TxnResult, TxnOpResult, LogBackendOptions } from "./log/mod.ts";
export { LeaseNotFoundError, KeyNotFoundError } from "./log/mod.ts";
export { parseEndpoint, redact, type Endpoint } from "./endpoint.ts";

/** Options of createBackend. */
export interface CreateBackendOptions extends LogBackendOptions {
  /** k3s's --datastore-endpoint; absent = SQLite at <dataDir>/server/db/state.db */
  endpoint?: string;
  dataDir: string;
  /** largest number of pooled connections (PostgreSQL, MySQL) */
  maxOpenConns?: number;
  /** how long to keep retrying an unreachable database at start (default 5 minutes) */
  connectTimeoutMs?: number;
  /** --datastore-cafile/-certfile/-keyfile, for https etcd endpoints */
  tls?: TlsPaths;
}

/** true when the endpoint names an external etcd cluster (then there is no kine and no kine.sock) */
export function isExternalEtcd(endpoint: string | undefined): boolean {
  return /^https?:\/\//i.test(endpoint ?? "");
}

/** opens the datastore named by the endpoint and returns it started */
export async function createBackend(opts: CreateBackendOptions): Promise<KineBackend> {
  const ep = parseEndpoint(opts.endpoint, { dataDir: opts.dataDir });
  if (ep.driver === "etcd") return openEtcd(ep.endpoints, opts);
  const store = await openStore(ep, opts);
  const backend = new LogBackend(store, opts);
  try {
    await backend.start();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return backend;
}

async function openEtcd(endpoints: string[], opts: CreateBackendOptions): Promise<KineBackend> {
  const { EtcdBackend, loadTlsFiles } = await import("./external/mod.ts");
  const backend = new EtcdBackend({ ...opts, endpoints, tls: loadTlsFiles(opts.tls ?? {}) });
  try {
    await backend.start();
  } catch (err) {
    await backend.close();
    throw err;
  }
  return backend;
}

async function openStore(ep: Exclude<Endpoint, { driver: "etcd" }>, opts: CreateBackendOptions): Promise<Store> {
  switch (ep.driver) {
    case "sqlite":
      return sqliteStore({ path: ep.path, params: ep.params });
    case "postgres": {
      const { postgresStore } = await import("./drivers/postgres/postgres.ts");
      return postgresStore({ url: ep.url, database: ep.database, maxOpenConns: opts.maxOpenConns, connectTimeoutMs: opts.connectTimeoutMs, log: opts.log });
    }
    case "mysql": {
      const { mysqlStore } = await import("./drivers/mysql/mysql.ts");
      return mysqlStore({ ...ep, maxOpenConns: opts.maxOpenConns, connectTimeoutMs: opts.connectTimeoutMs, log: opts.log });
    }
  }
}
export { startEtcdServer, EMULATED_VERSION, type EtcdServer, type EtcdServerOptions } from "./etcd/mod.ts";
