/** An async queue of watch batches that can end with an error (the log's Channel can only end). */

/** a push/pull queue exposed as an AsyncIterable; ends when its signal aborts, throws after fail() */
export class FailableQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting?: { resolve(r: IteratorResult<T>): void; reject(err: Error): void };
  private error?: Error;
  private done = false;

  constructor(
    signal: AbortSignal,
    private onClose: () => void,
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
    if (w) w.resolve({ value: item, done: false });
    else this.items.push(item);
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
