/** SQL drivers behind the log: the shared SQL once, each database a small dialect file. */
export { sqliteStore, type SqliteOptions } from "./sqlite/sqlite.ts";
export { SqlStore } from "./generic/sql-store.ts";
export type { Dialect, Querier, SqlDb } from "./generic/sql.ts";
