/**
 * The small surface a SQL driver gives the generic store: a way to run
 * statements (written with `?` placeholders) and the dialect's own SQL text.
 */

import type { SyncOptions } from "../../log/store.ts";

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | Buffer | null;

/** A result row keyed by column name. */
export type SqlRow = Record<string, unknown>;

/** Runs statements on one connection (inside a transaction when given by read/write). */
export interface Querier {
  all(sql: string, params: readonly SqlValue[]): Promise<SqlRow[]>;
  /** insertId is the id an INSERT produced (0 for other statements) */
  run(sql: string, params: readonly SqlValue[]): Promise<{ changes: number; insertId: number }>;
}

/** A database connection (or pool) as the generic store sees it. */
export interface SqlDb {
  /** runs fn in a consistent read snapshot */
  read<T>(fn: (q: Querier) => Promise<T>): Promise<T>;
  /** runs fn in one durable write transaction */
  write<T>(fn: (q: Querier) => Promise<T>): Promise<T>;
  /** when present, write() returns before the commit is durable and sync() makes it so */
  sync?(opts?: SyncOptions): Promise<void>;
  /** runs statements outside a transaction (schema set-up) */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** The SQL that differs between databases. */
export interface Dialect {
  name: string;
  /** true when one process owns the database (no polling for others' writes) */
  singleWriter: boolean;
  /** DDL, run in order at start; each must be idempotent or ignorable via isDuplicateSchemaError */
  schema: string[];
  /** errors a repeated CREATE INDEX may raise where IF NOT EXISTS is unsupported */
  isDuplicateSchemaError(err: unknown): boolean;
  /** true for a unique or primary key violation */
  isUniqueViolation(err: unknown): boolean;
  /** true for serialization failures and deadlocks */
  isSerializationFailure(err: unknown): boolean;
  /** points the newest-row index of a key at a row: params name, id, deleted */
  upsertLatest: string;
  /**
   * optional: appends a row and points the newest-row index at it in one statement (saves a round
   * trip); params as the kine INSERT, returns the id as column `id`
   */
  insertAndIndex?: string;
  /** deletes rows superseded by a row at or below the target: params target, target */
  compactSuperseded: string;
  /** the database size in bytes, as one row with column `size` */
  sizeQuery: string;
}
