/**
 * etcd keeps every revision until it is compacted; as kine's log does, a
 * loop compacts to a fixed number of revisions behind the head. etcd reports
 * its compact revision only when a request runs into it, so it is found by
 * bisecting with reads at old revisions (about log2(revision) small reads).
 */

/** the lowest revision still readable, 0 when nothing was ever compacted */
export async function findCompactRevision(readableAt: (revision: number) => Promise<boolean>, current: number): Promise<number> {
  if (current <= 1 || (await readableAt(1))) return 0;
  // revision lo is compacted, hi is readable (the current revision always is)
  let lo = 1;
  let hi = current;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await readableAt(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Options of startCompactionLoop. */
export interface CompactionLoopOptions {
  /** how often to compact; 0 = never */
  intervalMs: number;
  /** revisions kept behind the head */
  retention: number;
  current(): Promise<number>;
  compacted(): Promise<number>;
  compact(revision: number): Promise<unknown>;
  log(msg: string): void;
}

/** compacts every interval to `retention` revisions behind the head; returns the stop function */
export function startCompactionLoop(opts: CompactionLoopOptions): () => void {
  if (opts.intervalMs <= 0) return () => undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const round = async () => {
      const target = (await opts.current()) - opts.retention;
      if (target > (await opts.compacted())) await opts.compact(target);
    };
    round()
      .catch((err: unknown) => opts.log(`datastore: etcd compaction: ${(err as Error).message}`))
      .finally(() => (running = false));
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
