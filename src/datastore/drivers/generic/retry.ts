/** Start-up connection retries with back-off, as kine pings the database before giving up. */

/** Options of retryConnect. */
export interface RetryOptions {
  /** give up after this long (default 5 minutes) */
  timeoutMs?: number;
  log?: (msg: string) => void;
  what: string;
}

/** runs fn until it succeeds or the timeout passes, doubling the pause up to 5 s */
export async function retryConnect<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5 * 60_000);
  let pause = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + pause > deadline) throw new Error(`datastore: cannot reach ${opts.what} after ${attempt} attempts: ${String(err)}`);
      opts.log?.(`datastore: ${opts.what} not reachable (attempt ${attempt}): ${String(err)}; retrying in ${pause} ms`);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 5000);
    }
  }
}
