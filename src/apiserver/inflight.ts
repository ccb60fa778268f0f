/** Max-in-flight with a short queue: overload turns into 429s instead of unbounded latency. */

export interface InFlightOptions {
  /** requests served at once (default 400) */
  maxInFlight?: number;
  /** requests waiting for a slot (default 200) */
  maxQueued?: number;
  /** how long a queued request waits before 429 (default 2000 ms) */
  queueWaitMs?: number;
}

/** A counting semaphore whose waiters give up after a deadline. */
export class InFlightLimiter {
  readonly max: number;
  readonly maxQueued: number;
  readonly waitMs: number;
  #active = 0;
  #queue: { grant: () => void }[] = [];

  constructor(opts: InFlightOptions = {}) {
    this.max = opts.maxInFlight ?? 400;
    this.maxQueued = opts.maxQueued ?? 200;
    this.waitMs = opts.queueWaitMs ?? 2000;
  }

  get active(): number {
    return this.#active;
  }

  /** resolves with a release function, or with undefined when the request should get 429 */
  async acquire(): Promise<(() => void) | undefined> {
    if (this.#active < this.max) {
      this.#active++;
      return this.#releaser();
    }
    if (this.#queue.length >= this.maxQueued) return undefined;
    return new Promise((resolve) => {
      const entry = {
        grant: () => {
          clearTimeout(timer);
          this.#active++;
          resolve(this.#releaser());
        },
      };
      const timer = setTimeout(() => {
        const i = this.#queue.indexOf(entry);
        if (i >= 0) this.#queue.splice(i, 1);
        resolve(undefined);
      }, this.waitMs);
      this.#queue.push(entry);
    });
  }

  #releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#active--;
      const next = this.#queue.shift();
      if (next) next.grant();
    };
  }
}
