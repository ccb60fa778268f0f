/** The datastore (kine in TypeScript): a Backend over SQLite, PostgreSQL or MySQL, and the etcd v3 API over it. */
import { parseEndpoint } from "./endpoint.ts";
import { sqliteStore } from "./drivers/sqlite/sqlite.ts";
import type { Store } from "./log/store.ts";
import { LogBackend, type LogBackendOptions } from "./log/log-backend.ts";
import type { KineBackend } from "./log/kine-backend.ts";

export type { Backend, KeyValue, ListOptions, ListResult, WatchEvent, WatchOptions } from "./backend.ts";
export { CompactedError, ConflictError, FutureRevisionError } from "./backend.ts";
export type { KineBackend, PutOptions } from "./log/kine-backend.ts";
export type { LeaseStatus } from "./log/leases.ts";
export type { Compare, TxnOp, TxnRequest, TxnResult, TxnOpResult } from "./log/txn.ts";
export { LeaseNotFoundError, KeyNotFoundError } from "./log/errors.ts";
export { parseEndpoint, type Endpoint } from "./endpoint.ts";

/** Options of createBackend. */
export interface CreateBackendOptions extends LogBackendOptions {
  /** k3s's --datastore-endpoint; absent = SQLite at <dataDir>/server/db/state.db */
  endpoint?: string;
  dataDir: string;
  /** largest number of pooled connections (PostgreSQL, MySQL) */
  maxOpenConns?: number;
  /** how long to keep retrying an unreachable database at start (default 5 minutes) */
  connectTimeoutMs?: number;
}

/** opens the datastore named by the endpoint and returns it started */
export async function createBackend(opts: CreateBackendOptions): Promise<KineBackend> {
  const backend = new LogBackend(await openStore(opts), opts);
  await backend.start();
  return backend;
}

async function openStore(opts: CreateBackendOptions): Promise<Store> {
  const ep = parseEndpoint(opts.endpoint, { dataDir: opts.dataDir });
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
