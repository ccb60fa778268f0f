/** Splits a byte stream into newline-terminated lines (watch events, one per line). */

/** Yields each complete line of a chunked stream; a trailing partial line is yielded at the end. */
export async function* ndjsonLines(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  for await (const chunk of body) {
    let start = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, i));
      yield Buffer.concat(pending).toString("utf8");
      pending = [];
      start = i + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length) {
    const rest = Buffer.concat(pending).toString("utf8");
    if (rest.trim()) yield rest;
  }
}

/** Iterates a stream until it ends or the signal aborts, whichever comes first. */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  if (signal.aborted) return;
  const it = source[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<IteratorResult<T>>((resolve) => {
    onAbort = () => resolve({ done: true, value: undefined });
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    for (;;) {
      const r = await Promise.race([it.next(), aborted]);
      if (r.done) return;
      yield r.value;
    }
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
    // let the producer release its resources; do not wait for it
    void it.return?.(undefined)?.catch(() => undefined);
  }
}
