/**
 * CrashLoopBackOff timing as upstream: the first restart is immediate, then
 * 10 s doubling to 5 min, counted from the last exit; reset after 10 min of
 * clean running.
 */

export const BACKOFF_INITIAL_S = 10;
export const BACKOFF_MAX_S = 300;
const RESET_AFTER_MS = 600_000;

/** Per-container restart back-off. */
export class Backoff {
  #delay = 0;
  /** Milliseconds to wait before restarting an instance that exited at finishedAt (ms). */
  waitMs(finishedAt: number, now: number): number {
    return Math.max(0, finishedAt + this.#delay * 1000 - now);
  }
  /** The current delay in seconds (for the CrashLoopBackOff message). */
  get delay(): number {
    return this.#delay;
  }
  /** Records a restart of an instance that ran for ranForMs. */
  restarted(ranForMs: number): void {
    if (ranForMs > RESET_AFTER_MS) this.#delay = 0;
    this.#delay = this.#delay === 0 ? BACKOFF_INITIAL_S : Math.min(this.#delay * 2, BACKOFF_MAX_S);
  }
}
