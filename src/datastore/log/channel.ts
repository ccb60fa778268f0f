/** An unbounded async queue that ends when its signal aborts. */

/** a push/pull queue exposed as an AsyncIterable */
export class Channel<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting?: (r: IteratorResult<T>) => void;
  private done = false;

  private close: () => void;

  /** a consumer this far behind is dropped (it re-lists), so one stuck watcher cannot exhaust memory */
  constructor(signal: AbortSignal, onClose: () => void, private maxQueued = 10_000) {
    this.close = () => {
      if (this.done) return;
      this.done = true;
      this.items = [];
      onClose();
      this.waiting?.({ value: undefined, done: true });
      this.waiting = undefined;
    };
    if (signal.aborted) this.close();
    else signal.addEventListener("abort", this.close, { once: true });
  }

  /** ends the iteration (e.g. the watcher fell too far behind) */
  end(): void {
    this.close();
  }

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: item, done: false });
    } else {
      this.items.push(item);
      // end() drops the backlog; the consumer sees the end right after what it already took
      if (this.items.length > this.maxQueued) this.end();
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
