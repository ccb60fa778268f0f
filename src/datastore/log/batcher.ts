/**
 * Group commit: writes queued while a transaction is being committed are run
 * together in the next one, so many writers share one fsync, and each is
 * acknowledged only after its transaction is durable.
 */
import { observed, type Row, type Store, type StoreTx } from "./store.ts";

/** A write as a function of the transaction it runs in. It must not write before it may throw. */
export type WriteOp<T> = (tx: StoreTx) => Promise<T>;

/** An op failed on purpose after it had written: its whole transaction must roll back. */
class AbortedOp extends Error {
  constructor(readonly original: unknown) {
    super("op failed after writing");
  }
}

interface Pending {
  op: WriteOp<unknown>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const MAX_BATCH = 512;
const MAX_ATTEMPTS = 5;

/** Options of the batcher. */
export interface BatcherOptions {
  /** called with the rows of each committed transaction once it is durable, ids ascending */
  onCommit(rows: Row[]): void;
  /** called with the rows of each transaction as soon as it committed (maybe not yet durable) */
  onWritten?(rows: Row[]): void;
  /** errors that fail one op without aborting its batch */
  isOpError(err: unknown): boolean;
  /** errors worth running a lone op again for (a racing writer on another server) */
  isRetryable?(err: unknown): boolean;
  /** transactions committing at once (1 for SQLite; more where the database takes concurrent writers) */
  parallel?: number;
}

/** queues write ops and commits them in shared transactions */
export class Batcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private inflight = 0;
  /** the newest batch's sync, while it runs */
  private syncing?: Promise<void>;
  private waitingForSync = false;
  /** acknowledgements in commit order: each waits for its batch to be durable */
  private acks: Promise<void> = Promise.resolve();

  constructor(
    private store: Store,
    private opts: BatcherOptions,
  ) {}

  /** runs op in the next group transaction; resolves after it is durable */
  submit<T>(op: WriteOp<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled && this.inflight < (this.opts.parallel ?? 1)) {
        this.scheduled = true;
        // wait one macrotask so writes arriving from the same I/O turn join the batch
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** resolves when every queued op has been settled */
  async idle(): Promise<void> {
    while (this.inflight > 0 || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.acks;
  }

  /** starts transactions for queued ops while slots are free, sharing the queue between them */
  private pump(): void {
    const slots = this.opts.parallel ?? 1;
    // while a sync runs, a new commit could not be acknowledged before the sync after it anyway:
    // gather the ops arriving meanwhile into one transaction instead of many small ones
    if (slots === 1 && this.syncing) {
      if (!this.waitingForSync) {
        this.waitingForSync = true;
        void this.syncing.finally(() => {
          this.waitingForSync = false;
          this.pump();
        });
      }
      return;
    }
    while (this.queue.length && this.inflight < slots) {
      const size = Math.min(MAX_BATCH, Math.ceil(this.queue.length / (slots - this.inflight)));
      const batch = this.queue.splice(0, size);
      this.inflight++;
      void this.commit(batch).finally(() => {
        this.inflight--;
        this.pump();
      });
    }
  }

  private async commit(batch: Pending[], attempt = 1): Promise<void> {
    try {
      const rows: Row[] = [];
      const outcomes = await this.store.write(async (tx) => {
        const rec = recording(tx, rows);
        const out: Outcome[] = [];
        for (const p of batch) out.push(await this.runOp(p.op, rec, rows));
        return out;
      });
      this.opts.onWritten?.(rows);
      // the next batch may commit while this one is being synced: fsyncs overlap with work
      const alone = batch.length === 1 && this.queue.length === 0 && this.inflight === 1;
      const durable = this.store.sync ? this.store.sync({ alone }) : Promise.resolve();
      if (this.store.sync) {
        const mine = durable.catch(() => undefined);
        this.syncing = mine;
        void mine.then(() => {
          if (this.syncing === mine) this.syncing = undefined;
        });
      }
      this.acks = this.acks.then(() =>
        durable.then(
          () => {
            this.opts.onCommit(rows);
            outcomes.forEach((o, i) => (o.ok ? batch[i].resolve(o.value) : batch[i].reject(o.error)));
          },
          (err: unknown) => batch.forEach((p) => p.reject(err)),
        ),
      );
    } catch (err) {
      if (batch.length === 1) {
        // in a new transaction the op sees the winner's row and fails (or succeeds) on its own terms
        if (attempt < MAX_ATTEMPTS && !(err instanceof AbortedOp) && this.opts.isRetryable?.(err)) return this.commit(batch, attempt + 1);
        batch[0].reject(err instanceof AbortedOp ? err.original : err);
        return;
      }
      // one op broke the shared transaction (e.g. a racing writer on another server): retry each alone
      for (const p of batch) await this.commit([p]);
    }
  }

  private async runOp(op: WriteOp<unknown>, tx: StoreTx, rows: Row[]): Promise<Outcome> {
    const before = rows.length;
    try {
      return { ok: true, value: await op(tx) };
    } catch (error) {
      if (!this.opts.isOpError(error)) throw error;
      if (rows.length > before) throw new AbortedOp(error);
      return { ok: false, error };
    }
  }
}

/** a transaction view that remembers the rows it appended, with their revisions */
function recording(tx: StoreTx, rows: Row[]): StoreTx {
  return observed(tx, {
    inserted: (row, id) => rows.push({ ...row, id, modRevision: id }),
    shared: (ids, revision) => {
      const set = new Set(ids);
      for (const r of rows) if (set.has(r.id)) r.modRevision = revision;
    },
  });
}
