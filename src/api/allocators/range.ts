/**
 * A set of integer offsets in [0, size) handed out at most once. JavaScript
 * runs strategy hooks on one thread, so check-and-set here is atomic: two
 * concurrent creates can never receive the same value.
 */

export interface RangeOptions {
  /** offsets below this are kept for explicit requests (upstream's static band) */
  staticBand: number;
  /** how long a fresh allocation survives a restore() that does not see it, in ms */
  graceMs?: number;
}

/** Allocation state over offsets 0..size-1. */
export class OffsetRange {
  /** offset → when it was taken and by whom ("namespace/name", "" when unknown) */
  readonly #used = new Map<number, { at: number; owner: string }>();
  readonly #size: number;
  readonly #staticBand: number;
  readonly #graceMs: number;

  constructor(size: number, opts: RangeOptions) {
    this.#size = size;
    this.#staticBand = Math.min(opts.staticBand, size);
    this.#graceMs = opts.graceMs ?? 60_000;
  }

  get size(): number {
    return this.#size;
  }

  get used(): number {
    return this.#used.size;
  }

  has(offset: number): boolean {
    return this.#used.has(offset);
  }

  /** Marks offset used by owner; false when it already was. */
  take(offset: number, owner = ""): boolean {
    if (this.#used.has(offset)) return false;
    this.#used.set(offset, { at: Date.now(), owner });
    return true;
  }

  /** Who holds offset ("" when unknown), or undefined when it is free. */
  ownerOf(offset: number): string | undefined {
    return this.#used.get(offset)?.owner;
  }

  /** A random free offset for owner, preferring the dynamic band; undefined when full. */
  next(owner = ""): number | undefined {
    const bands: [number, number][] = [[this.#staticBand, this.#size], [0, this.#staticBand]];
    for (const [lo, hi] of bands) {
      const n = hi - lo;
      if (n <= 0) continue;
      const start = Math.floor(Math.random() * n);
      for (let i = 0; i < n; i++) {
        const o = lo + ((start + i) % n);
        if (!this.#used.has(o)) {
          this.#used.set(o, { at: Date.now(), owner });
          return o;
        }
      }
    }
    return undefined;
  }

  release(offset: number): void {
    this.#used.delete(offset);
  }

  /** Replaces the state with what storage holds (offset → owner), keeping allocations younger than the grace period. */
  restore(held: Map<number, string>): void {
    const now = Date.now();
    for (const [o, e] of this.#used) if (!held.has(o) && now - e.at > this.#graceMs) this.#used.delete(o);
    for (const [o, owner] of held) if (o >= 0 && o < this.#size) this.#used.set(o, { at: this.#used.get(o)?.at ?? 0, owner });
  }
}
