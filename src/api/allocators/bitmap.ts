/**
 * A fixed-size set of offsets 0..size-1 as a bitmap, with the byte layout
 * upstream stores in a RangeAllocation's data (a big-endian integer whose bit
 * i is offset i, leading zero bytes dropped), so a stored range reads the same
 * in both.
 */

/** Allocation state over offsets 0..size-1. */
export class AllocationBitmap {
  readonly size: number;
  /** little-endian: offset i is bit (i % 8) of byte i >> 3 */
  readonly #bytes: Uint8Array;
  #count = 0;

  constructor(size: number, bytes?: Uint8Array) {
    this.size = Math.max(0, size);
    this.#bytes = new Uint8Array(Math.ceil(this.size / 8));
    if (bytes) this.#bytes.set(bytes.subarray(0, this.#bytes.length));
    this.#clearTail();
    for (const b of this.#bytes) this.#count += popcount(b);
  }

  /** Number of offsets taken. */
  get count(): number {
    return this.#count;
  }

  has(offset: number): boolean {
    if (!this.#inRange(offset)) return false;
    return (this.#bytes[offset >> 3] & (1 << (offset & 7))) !== 0;
  }

  /** Marks offset taken; false when it already was (or lies outside the range). */
  set(offset: number): boolean {
    if (!this.#inRange(offset) || this.has(offset)) return false;
    this.#bytes[offset >> 3] |= 1 << (offset & 7);
    this.#count++;
    return true;
  }

  /** Marks offset free; false when it already was. */
  clear(offset: number): boolean {
    if (!this.has(offset)) return false;
    this.#bytes[offset >> 3] &= ~(1 << (offset & 7));
    this.#count--;
    return true;
  }

  /** Every taken offset, ascending. */
  offsets(): number[] {
    const out: number[] = [];
    this.#bytes.forEach((b, i) => {
      for (let bit = 0; b && bit < 8; bit++) if (b & (1 << bit)) out.push(i * 8 + bit);
    });
    return out;
  }

  /**
   * A random free offset, preferring [staticBand, size) so that explicit requests, which
   * favour low offsets, rarely meet a dynamic allocation (upstream's static band).
   */
  pickFree(staticBand: number): number | undefined {
    const band = Math.min(staticBand, this.size);
    for (const [lo, hi] of [[band, this.size], [0, band]]) {
      const n = hi - lo;
      const start = Math.floor(Math.random() * n);
      for (let i = 0; i < n; i++) {
        const o = lo + ((start + i) % n);
        if (!this.has(o)) return o;
      }
    }
    return undefined;
  }

  clone(): AllocationBitmap {
    return new AllocationBitmap(this.size, this.#bytes);
  }

  /** The stored form: big-endian, leading zero bytes dropped (empty when nothing is taken). */
  toStored(): Buffer {
    const be = Buffer.from(this.#bytes).reverse();
    let first = 0;
    while (first < be.length && be[first] === 0) first++;
    return be.subarray(first);
  }

  /** Reads the stored form; bits beyond size are ignored (a range that shrank). */
  static fromStored(size: number, data: Uint8Array): AllocationBitmap {
    const le = Buffer.from(data).reverse();
    return new AllocationBitmap(size, le);
  }

  #inRange(offset: number): boolean {
    return Number.isInteger(offset) && offset >= 0 && offset < this.size;
  }

  #clearTail(): void {
    const extra = this.#bytes.length * 8 - this.size;
    if (extra > 0) this.#bytes[this.#bytes.length - 1] &= 0xff >> extra;
  }
}

function popcount(b: number): number {
  let n = 0;
  for (let v = b; v; v &= v - 1) n++;
  return n;
}
