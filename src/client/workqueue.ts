/**
 * A rate-limited work queue with client-go's guarantees: a key is queued at
 * most once (dedup), a key being processed is never handed to another worker
 * (re-adds while processing are deferred until done), and failures back off
 * exponentially per item.
 */

export interface WorkQueueOptions {
  /** first back-off delay; default 5 ms */
  baseDelayMs?: number;
  /** cap of the back-off delay; default 1000 s */
  maxDelayMs?: number;
  /** hand out higher values first (FIFO among equals); default: plain FIFO */
  priority?: (key: string) => number;
}

/** Per-item exponential back-off: base * 2^failures, capped. */
export class ItemExponentialBackoff {
  private failures = new Map<string, number>();
  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {}

  /** The delay for this failure of the item (counts it). */
  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }
}

/** The work queue: add/get/done, plus delayed and rate-limited adds. */
export class WorkQueue {
  private queue: string[] = [];
  private head = 0;
  private dirty = new Set<string>();
  private processing = new Set<string>();
  private waiters: ((key: string | undefined) => void)[] = [];
  private timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private shuttingDown = false;
  readonly backoff: ItemExponentialBackoff;
  private readonly priority?: (key: string) => number;

  constructor(opts: WorkQueueOptions = {}) {
    this.backoff = new ItemExponentialBackoff(opts.baseDelayMs ?? 5, opts.maxDelayMs ?? 1_000_000);
    this.priority = opts.priority;
  }

  /** Moves the highest-priority waiting key to the head (stable among equals). */
  private promote(): void {
    if (!this.priority || this.len() < 2) return;
    let best = this.head;
    let bestP = this.priority(this.queue[best]);
    for (let i = this.head + 1; i < this.queue.length; i++) {
      const p = this.priority(this.queue[i]);
      if (p > bestP) [best, bestP] = [i, p];
    }
    if (best !== this.head) {
      const [key] = this.queue.splice(best, 1);
      this.queue.splice(this.head, 0, key);
    }
  }

  /** Queues a key unless it is already waiting. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const w = this.waiters.shift();
    if (w) {
      this.dirty.delete(key);
      this.processing.add(key);
      w(key);
    } else this.queue.push(key);
  }

  /** Queues a key after a delay; an earlier pending delay for it wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    this.timers.set(key, { at, timer });
  }

  /** Queues a key after its per-item back-off. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.backoff.when(key));
  }

  /** Clears the failure count of a key (call after a successful sync). */
  forget(key: string): void {
    this.backoff.forget(key);
  }

  numRequeues(key: string): number {
    return this.backoff.numRequeues(key);
  }

  /** Waits for the next key; undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    this.promote();
    if (this.head < this.queue.length) {
      const key = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks a key finished; a re-add that came meanwhile is queued now. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Keys waiting (not counting those in process or delayed). */
  len(): number {
    return this.queue.length - this.head;
  }

  isProcessing(key: string): boolean {
    return this.processing.has(key);
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
