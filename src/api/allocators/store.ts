/**
 * Where allocation ranges live: one RangeAllocation object per range under
 * /registry/ranges/, as upstream keeps them, written only with
 * compare-and-swap on its revision so that API servers sharing one datastore
 * agree on every allocation. A process-local store stands in when no
 * datastore is given (one server in tests).
 */
import { type Backend, ConflictError, type KeyValue } from "../../datastore/mod.ts";
import { AllocationBitmap } from "./bitmap.ts";

/** The part of the datastore a range needs: read, create and compare-and-swap one key. */
export type RangeStore = Pick<Backend, "get" | "create" | "update">;

/** Upstream's keys: primary and secondary service IP ranges, node ports. */
export const RANGE_KEYS = {
  serviceIPs: "/registry/ranges/serviceips",
  secondaryServiceIPs: "/registry/ranges/secondaryserviceips",
  nodePorts: "/registry/ranges/servicenodeports",
} as const;

/** One stored range as read: its configured text, its bitmap and the revision to swap against. */
export interface RangeSnapshot {
  /** "10.43.0.0/16", "30000-32767" */
  range: string;
  bits: AllocationBitmap;
  revision: number;
}

/** The stored RangeAllocation (core/v1's wire shape: data is the bitmap, base64 in JSON). */
export function encodeRange(range: string, bits: AllocationBitmap): Buffer {
  return Buffer.from(JSON.stringify({ kind: "RangeAllocation", apiVersion: "v1", metadata: {}, range, data: bits.toStored().toString("base64") }));
}

/** Reads a stored RangeAllocation into a bitmap of `size` offsets. */
export function decodeRange(kv: Pick<KeyValue, "value" | "modRevision">, size: number): RangeSnapshot {
  const obj = JSON.parse(kv.value.toString("utf8")) as { range?: unknown; data?: unknown };
  const data = typeof obj.data === "string" ? Buffer.from(obj.data, "base64") : Buffer.alloc(0);
  return { range: typeof obj.range === "string" ? obj.range : "", bits: AllocationBitmap.fromStored(size, data), revision: kv.modRevision };
}

/** A RangeStore in this process's memory (one API server, tests): same compare-and-swap rules as the datastore. */
export class MemoryRangeStore implements RangeStore {
  readonly #kvs = new Map<string, KeyValue>();
  #revision = 0;

  async get(key: string): Promise<{ revision: number; kv?: KeyValue }> {
    return { revision: this.#revision, kv: this.#kvs.get(key) };
  }

  async create(key: string, value: Buffer): Promise<number> {
    const cur = this.#kvs.get(key);
    if (cur) throw new ConflictError(`key exists: ${key}`, cur);
    const rev = ++this.#revision;
    this.#kvs.set(key, { key, value, createRevision: rev, modRevision: rev, version: 1, lease: 0 });
    return rev;
  }

  async update(key: string, value: Buffer, expectedModRevision: number): Promise<KeyValue> {
    const cur = this.#kvs.get(key);
    if (!cur) throw new ConflictError(`key not found: ${key}`);
    if (cur.modRevision !== expectedModRevision) throw new ConflictError(`mod revision of ${key} is ${cur.modRevision}, not ${expectedModRevision}`, cur);
    const kv = { ...cur, value, modRevision: ++this.#revision, version: cur.version + 1 };
    this.#kvs.set(key, kv);
    return kv;
  }
}
