/**
 * One allocation range whose truth is a RangeAllocation in the datastore.
 * The last bitmap read is kept as a cache to pick candidates from; every
 * change is written with compare-and-swap on the stored revision, so two API
 * servers on one datastore can never both take an offset: the loser's write
 * fails, it re-reads and decides again. Requests arriving together share one
 * read-modify-write (one datastore write per batch, not per Service).
 */
import { ConflictError } from "../../datastore/mod.ts";
import { AllocationBitmap } from "./bitmap.ts";
import { type RangeSnapshot, type RangeStore, decodeRange, encodeRange } from "./store.ts";

export interface StoredRangeOptions {
  store: RangeStore;
  key: string;
  /** the range as text, stored beside the bitmap: "10.43.0.0/16", "30000-32767" */
  range: string;
  size: number;
  /** offsets below this are kept for explicit requests (upstream's static band) */
  staticBand: number;
  /** upstream's resource name for "cannot allocate resources of type ... at this time" */
  resource: string;
  /** a missing key is an empty range, created on first write (process-local stores); otherwise repair must create it */
  createMissing?: boolean;
}

/** Thrown while the stored range does not exist yet (repair has not run). */
export class RangeNotReadyError extends Error {}

type Op = { take: number } | { next: true } | { release: number };

interface Pending {
  op: Op;
  resolve(offset: number | undefined): void;
  reject(err: unknown): void;
}

/** Attempts of one batch before giving up (each failure means another server wrote in between). */
const MAX_ATTEMPTS = 64;

/** An allocation range arbitrated by the datastore. */
export class StoredRange {
  readonly opts: StoredRangeOptions;
  #cache: RangeSnapshot | undefined;
  #queue: Pending[] = [];
  #flushing = false;

  constructor(opts: StoredRangeOptions) {
    this.opts = opts;
  }

  get size(): number {
    return this.opts.size;
  }

  /** Takes offset; false when it is already taken. */
  async take(offset: number): Promise<boolean> {
    return (await this.#submit({ take: offset })) !== undefined;
  }

  /** Takes a free offset; undefined when the range is full. */
  next(): Promise<number | undefined> {
    return this.#submit({ next: true });
  }

  /** Frees offset (a no-op when it is free). */
  async release(offset: number): Promise<void> {
    await this.#submit({ release: offset });
  }

  /** The stored range as it is now (undefined when never written); refreshes the cache. */
  async read(): Promise<RangeSnapshot | undefined> {
    const { kv } = await this.opts.store.get(this.opts.key);
    const snapshot = kv ? decodeRange(kv, this.opts.size) : undefined;
    // a read that overlapped a write of ours must not put an older revision back in the cache
    if (!snapshot || !this.#cache || snapshot.revision >= this.#cache.revision) this.#cache = snapshot;
    return snapshot;
  }

  /** Whether offset is taken in storage now. */
  async has(offset: number): Promise<boolean> {
    return (await this.read())?.bits.has(offset) ?? false;
  }

  /** Replaces the stored bitmap if it is still at base's revision (creates it when base is undefined); throws ConflictError otherwise. */
  async write(base: RangeSnapshot | undefined, bits: AllocationBitmap): Promise<void> {
    const value = encodeRange(this.opts.range, bits);
    const revision = base ? (await this.opts.store.update(this.opts.key, value, base.revision)).modRevision : await this.opts.store.create(this.opts.key, value);
    this.#cache = { range: this.opts.range, bits, revision };
  }

  #submit(op: Op): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      if (this.#flushing) return;
      this.#flushing = true;
      // after this tick, so that requests made together share one write
      setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.splice(0);
      try {
        const results = await this.#commit(batch.map((p) => p.op));
        batch.forEach((p, i) => p.resolve(results[i]));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.#flushing = false;
  }

  /** Applies ops to the stored bitmap with compare-and-swap, retrying on another writer's change. */
  async #commit(ops: Op[]): Promise<(number | undefined)[]> {
    let base = this.#cache;
    // an answer that changes nothing (a refusal) must rest on a read made for this batch
    let fresh = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!base) {
        base = await this.read();
        fresh = true;
      }
      const bits = base ? base.bits.clone() : this.#emptyOrThrow();
      let mutated = false;
      const results = ops.map((op) => {
        const r = this.#apply(bits, op);
        mutated ||= r.mutated;
        return r.offset;
      });
      if (!mutated) {
        if (fresh) return results;
        base = undefined;
        continue;
      }
      try {
        await this.write(base, bits);
        return results;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        base = err.current ? decodeRange(err.current, this.opts.size) : undefined;
        this.#cache = base;
        fresh = base !== undefined;
        if (attempt > 2) await jitter(attempt);
      }
    }
    throw new Error(`allocation in ${this.opts.key} kept meeting concurrent writes; try again`);
  }

  #emptyOrThrow(): AllocationBitmap {
    if (!this.opts.createMissing) throw new RangeNotReadyError(`cannot allocate resources of type ${this.opts.resource} at this time`);
    return new AllocationBitmap(this.opts.size);
  }

  /** One op on bits: the offset it yields (taken or picked) and whether bits changed. */
  #apply(bits: AllocationBitmap, op: Op): { offset: number | undefined; mutated: boolean } {
    if ("take" in op) {
      const ok = bits.set(op.take);
      return { offset: ok ? op.take : undefined, mutated: ok };
    }
    if ("release" in op) return { offset: undefined, mutated: bits.clear(op.release) };
    const o = bits.pickFree(this.opts.staticBand);
    if (o !== undefined) bits.set(o);
    return { offset: o, mutated: o !== undefined };
  }
}

/** A short random pause so that servers racing on one range stop colliding in step. */
function jitter(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 5)));
}
