/** Turning log rows into the KeyValues and watch events the Backend speaks. */
import type { KeyValue, WatchEvent } from "../backend.ts";
import { COMPACT_REV_KEY, rowCreateRevision, type Row } from "./store.ts";

const EMPTY = Buffer.alloc(0);

/** the key's value as stored in a live row */
export function rowToKv(row: Row): KeyValue {
  return {
    key: row.name,
    value: row.value,
    createRevision: rowCreateRevision(row),
    modRevision: row.modRevision,
    version: row.version,
    lease: row.lease,
  };
}

/** true for rows no watcher sees: gap fillers and kine's bookkeeping row */
export function isInternalRow(row: Row): boolean {
  if (row.deleted && row.prevRevision === 0) return true;
  return row.name === COMPACT_REV_KEY && row.deleted && !row.created;
}

/** the value a row replaced, when it replaced one */
export function rowPrevKv(row: Row): KeyValue | undefined {
  if (row.created || row.prevRevision === 0) return undefined;
  return {
    key: row.name,
    value: row.oldValue,
    createRevision: rowCreateRevision(row),
    modRevision: row.prevModRevision,
    version: row.deleted ? row.version : row.version - 1,
    lease: row.lease,
  };
}

/** the watch event a row stands for */
export function rowToEvent(row: Row): WatchEvent {
  if (row.deleted) {
    return {
      type: "delete",
      kv: { key: row.name, value: EMPTY, createRevision: 0, modRevision: row.modRevision, version: 0, lease: 0 },
      prevKv: rowPrevKv(row),
    };
  }
  return { type: "put", kv: rowToKv(row), prevKv: rowPrevKv(row) };
}

/** whether key lies in [start, end); end absent = only start; end "\0" = every key from start */
export function inRange(key: string, start: string, end: string | undefined): boolean {
  if (end === undefined) return key === start;
  if (key < start) return false;
  return end === "\0" || key < end;
}
