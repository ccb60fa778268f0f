/** An async queue of watch batches that can end with an error (the log's Channel can only end). */

/** a push/pull queue exposed as an AsyncIterable; ends when its signal aborts, throws after fail() */
export class FailableQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting?: { resolve(r: IteratorResult<T>): void; reject(err: Error): void };
  private error?: Error;
  private done = false;

  /** a consumer this far behind is failed (it re-lists), as the log's Channel drops one, so a stuck watcher cannot exhaust memory */
  constructor(
    signal: AbortSignal,
    private onClose: () => void,
    private maxQueued = 10_000,
  ) {
    // an aborted watcher wants nothing more, not even what is queued
    const abort = () => {
      this.items = [];
      this.end();
    };
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
  }

  push(item: T): void {
    if (this.done) return;
    const w = this.waiting;
    this.waiting = undefined;
    if (w) return w.resolve({ value: item, done: false });
    this.items.push(item);
    if (this.items.length > this.maxQueued) {
      this.items = [];
      this.fail(new Error(`watcher fell more than ${this.maxQueued} batches behind`));
    }
  }

  /** the consumer gets what is queued, then this error */
  fail(err: Error): void {
    if (this.done) return;
    this.error = err;
    this.finish();
  }

  /** the consumer gets what is queued, then the end */
  end(): void {
    if (!this.done) this.finish();
  }

  private finish(): void {
    this.done = true;
    this.onClose();
    const w = this.waiting;
    this.waiting = undefined;
    if (!w) return;
    if (this.error) w.reject(this.error);
    else w.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.error) return Promise.reject(this.error);
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
