/** The controller loop: workers pop keys and run sync(key); failures requeue with back-off. */
import { WorkQueue } from "./workqueue.ts";

export interface ControllerLoopOptions {
  name: string;
  queue: WorkQueue;
  /** reconciles one key; throwing requeues it with back-off */
  sync(key: string): Promise<void>;
  workers?: number;
  /** give up (and forget) after this many consecutive failures; default never */
  maxRetries?: number;
  /** called for each failure, for logging */
  onError?(key: string, err: unknown): void;
}

/** A running controller loop. */
export interface ControllerLoop {
  /** shuts the queue down and waits for workers to finish their current key */
  stop(): Promise<void>;
}

/** Starts `workers` workers over the queue. */
export function runController(opts: ControllerLoopOptions): ControllerLoop {
  const { queue } = opts;
  async function worker(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await opts.sync(key);
        queue.forget(key);
      } catch (err) {
        (opts.onError ?? defaultOnError(opts.name))(key, err);
        if (opts.maxRetries === undefined || queue.numRequeues(key) < opts.maxRetries) queue.addRateLimited(key);
        else queue.forget(key);
      } finally {
        queue.done(key);
      }
    }
  }
  const workers = Array.from({ length: opts.workers ?? 1 }, () => worker());
  return {
    async stop() {
      queue.shutDown();
      await Promise.all(workers);
    },
  };
}

const quiet = new Set(["Conflict", "AlreadyExists", "NotFound"]);

function defaultOnError(name: string): (key: string, err: unknown) => void {
  return (key, err) => {
    const reason = (err as { reason?: string }).reason;
    if (reason && quiet.has(reason) && process.env.K3S_TS_DEBUG !== "all") return;
    if (process.env.K3S_TS_DEBUG) console.error(`${name}: sync ${key} failed:`, err);
  };
}
