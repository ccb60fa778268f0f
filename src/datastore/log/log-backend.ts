/**
 * kine's Backend over a revision log: every write appends a row; reads ask
 * for the newest row per key; watchers get committed rows straight from the
 * commit (or from the poll loop when other servers write too).
 */
import { CompactedError, ConflictError, FutureRevisionError } from "../backend.ts";
import type { KeyValue, ListOptions, ListResult, WatchEvent, WatchOptions } from "../backend.ts";
import { Batcher } from "./batcher.ts";
import { Broadcaster } from "./broadcaster.ts";
import { Channel } from "./channel.ts";
import { isOpError, LeaseNotFoundError } from "./errors.ts";
import { inRange, isInternalRow, rowToEvent, rowToKv } from "./events.ts";
import type { KineBackend, PutOptions } from "./kine-backend.ts";
import { Leases, type LeaseStatus } from "./leases.ts";
import { atOneRevision, type Row, type Store } from "./store.ts";
import { createRow, deleteInTx, putInTx, tombstoneRow, txnInTx, updateRow, type TxnRequest, type TxnResult } from "./txn.ts";

const EMPTY = Buffer.alloc(0);

/** Options of the log backend. */
export interface LogBackendOptions {
  /** how often to compact; 0 = never (kine's default was 5 minutes) */
  compactIntervalMs?: number;
  /** revisions kept behind the head by the compaction loop (kine: 1000) */
  compactRetention?: number;
  /** poll interval for other servers' writes (multi-writer stores) */
  pollIntervalMs?: number;
  /** how long a missing id may stay missing before it is filled with a gap row */
  gapTimeoutMs?: number;
  log?: (msg: string) => void;
}

const POLL_BATCH = 500;

/** the Backend implementation over a Store */
export class LogBackend implements KineBackend {
  private broadcaster = new Broadcaster();
  private batcher: Batcher;
  private leases: Leases;
  /** highest revision handed to watchers; every row at or below it is committed and was published */
  private delivered = 0;
  /** highest revision committed by this process (reads may see it before it is durable) */
  private written = 0;
  private compactRev = 0;
  private timers: NodeJS.Timeout[] = [];
  private polling = false;
  private pollAgain = false;
  private gapSince = new Map<number, number>();
  private closed = false;
  private opts: Required<LogBackendOptions>;

  constructor(
    private store: Store,
    opts: LogBackendOptions = {},
  ) {
    this.opts = {
      compactIntervalMs: opts.compactIntervalMs ?? 5 * 60_000,
      compactRetention: opts.compactRetention ?? 1000,
      pollIntervalMs: opts.pollIntervalMs ?? 1000,
      gapTimeoutMs: opts.gapTimeoutMs ?? 1000,
      log: opts.log ?? (() => undefined),
    };
    this.batcher = new Batcher(store, {
      isRetryable: (err) => store.isRetryable?.(err) ?? false,
      onCommit: (rows) => this.committed(rows),
      onWritten: (rows) => {
        if (rows.length) this.written = Math.max(this.written, rows[rows.length - 1].id);
      },
      isOpError,
      parallel: store.singleWriter ? 1 : 8,
    });
    this.leases = new Leases(store, this.batcher);
  }

  async start(): Promise<void> {
    await this.store.open();
    this.delivered = await this.store.currentRevision();
    this.compactRev = await this.store.compactRevision();
    await this.leases.start();
    if (!this.store.singleWriter) this.every(this.opts.pollIntervalMs, () => this.poll());
    if (this.opts.compactIntervalMs > 0) this.every(this.opts.compactIntervalMs, () => this.compactLoop());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.leases.stop();
    await this.batcher.idle();
    await this.store.close();
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const t = setInterval(() => {
      fn().catch((err: unknown) => this.opts.log(`datastore: ${String(err)}`));
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  async currentRevision(): Promise<number> {
    if (this.store.singleWriter) return Math.max(this.delivered, this.written);
    return this.store.currentRevision();
  }

  async compactRevision(): Promise<number> {
    if (!this.store.singleWriter) this.compactRev = await this.store.compactRevision();
    return this.compactRev;
  }

  private async checkRevision(revision: number): Promise<void> {
    if (revision <= 0) return;
    const current = await this.currentRevision();
    if (revision > current) throw new FutureRevisionError();
    const compact = await this.compactRevision();
    if (revision < compact) throw new CompactedError(compact, current);
  }

  async get(key: string, revision = 0): Promise<{ revision: number; kv?: KeyValue }> {
    await this.checkRevision(revision);
    const r = await this.store.list(key, { revision, limit: 1, keysOnly: false });
    return { revision: r.revision, kv: r.rows.length ? rowToKv(r.rows[0]) : undefined };
  }

  async list(start: string, opts: ListOptions = {}): Promise<ListResult> {
    const revision = opts.revision ?? 0;
    await this.checkRevision(revision);
    const end = opts.end;
    const limit = opts.limit ?? 0;
    // one extra row tells whether more follow
    const r = await this.store.list(start, { end, revision, limit: limit > 0 ? limit + 1 : 0, keysOnly: !!opts.keysOnly });
    const more = limit > 0 && r.rows.length > limit;
    const rows = more ? r.rows.slice(0, limit) : r.rows;
    const kvs = rows.map((row) => (opts.keysOnly ? { ...rowToKv(row), value: EMPTY } : rowToKv(row)));
    return { revision: r.revision, kvs, more, count: Math.max(r.count, kvs.length) };
  }

  async count(start: string, end: string, revision = 0): Promise<{ revision: number; count: number }> {
    await this.checkRevision(revision);
    return this.store.count(start, end, revision);
  }

  create(key: string, value: Buffer, lease = 0): Promise<number> {
    return this.batcher.submit(async (tx) => {
      const cur = await tx.latest(key);
      if (cur && !cur.deleted) throw new ConflictError(`key exists: ${key}`, rowToKv(cur));
      if (lease !== 0 && !(await tx.getLease(lease))) throw new LeaseNotFoundError(lease);
      // built from this one read: a second read could see another server's row and turn this into an update
      return tx.insert(createRow(key, value, lease, cur));
    });
  }

  update(key: string, value: Buffer, expectedModRevision: number, lease = 0): Promise<KeyValue> {
    return this.batcher.submit(async (tx) => {
      const cur = await tx.latest(key);
      if (!cur || cur.deleted) throw new ConflictError(`key not found: ${key}`);
      if (cur.modRevision !== expectedModRevision) {
        throw new ConflictError(`mod revision of ${key} is ${cur.modRevision}, not ${expectedModRevision}`, rowToKv(cur));
      }
      if (lease !== 0 && !(await tx.getLease(lease))) throw new LeaseNotFoundError(lease);
      const row = updateRow(cur, value, lease);
      const id = await tx.insert(row);
      return rowToKv({ ...row, id, modRevision: id });
    });
  }

  delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }> {
    return this.batcher.submit(async (tx) => {
      const cur = await tx.latest(key);
      if (!cur || cur.deleted) throw new ConflictError(`key not found: ${key}`);
      if (expectedModRevision !== undefined && expectedModRevision !== 0 && cur.modRevision !== expectedModRevision) {
        throw new ConflictError(`mod revision of ${key} is ${cur.modRevision}, not ${expectedModRevision}`, rowToKv(cur));
      }
      const revision = await tx.insert(tombstoneRow(cur));
      return { revision, prevKv: rowToKv(cur) };
    });
  }

  put(key: string, value: Buffer, opts: PutOptions = {}): Promise<{ revision: number; prevKv?: KeyValue }> {
    return this.batcher.submit((tx) => putInTx(tx, { key, value, ...opts }));
  }

  async deleteRange(start: string, end?: string): Promise<{ revision: number; deleted: KeyValue[] }> {
    const r = await this.batcher.submit((tx) => atOneRevision(tx, (t) => deleteInTx(t, { key: start, end })));
    return { revision: r.revision || (await this.currentRevision()), deleted: r.deleted };
  }

  async txn(req: TxnRequest): Promise<TxnResult> {
    const r = await this.batcher.submit((tx) => atOneRevision(tx, (t) => txnInTx(t, req)));
    return { ...r, revision: r.revision || (await this.currentRevision()) };
  }

  leaseGrant(ttl: number, id = 0): Promise<{ id: number; ttl: number }> {
    return this.leases.grant(ttl, id);
  }

  async leaseRevoke(id: number): Promise<number> {
    return (await this.leases.revoke(id)) || (await this.currentRevision());
  }

  leaseKeepAlive(id: number): Promise<number> {
    return this.leases.keepAlive(id);
  }

  leaseTimeToLive(id: number, keys: boolean): Promise<LeaseStatus> {
    return this.leases.timeToLive(id, keys);
  }

  leaseList(): Promise<number[]> {
    return this.leases.list();
  }

  async watch(start: string, opts: WatchOptions): Promise<AsyncIterable<WatchEvent[]>> {
    const from = opts.startRevision ?? 0;
    if (from > 0) {
      const compact = await this.compactRevision();
      if (from < compact) throw new CompactedError(compact, await this.currentRevision());
    }
    // subscribe and note the delivered revision in the same turn, so nothing is missed or repeated
    const upTo = this.delivered;
    let live: WatchEvent[][] | undefined = [];
    const channel: Channel<WatchEvent[]> = new Channel(opts.signal, () => unsubscribe());
    const unsubscribe = this.broadcaster.subscribe({
      start,
      end: opts.end,
      deliver: (events) => {
        const wanted = from > 0 ? events.filter((e) => e.kv.modRevision >= from) : events;
        if (!wanted.length) return;
        if (live) live.push(wanted);
        else channel.push(wanted);
      },
    });
    if (from > 0 && from <= upTo) await this.catchUp(channel, { start, end: opts.end, from, upTo });
    for (const batch of live) channel.push(batch);
    live = undefined;
    return channel;
  }

  private async catchUp(channel: Channel<WatchEvent[]>, range: { start: string; end?: string; from: number; upTo: number }): Promise<void> {
    // rows of a shared revision at or after `from` may start below it
    let after = (await this.store.firstIdAt(range.from)) - 1;
    let pending: Row[] = [];
    const emit = (rows: Row[]) => {
      const events = inRevisionOrder(rows)
        .filter((row) => row.modRevision >= range.from && !isInternalRow(row) && inRange(row.name, range.start, range.end))
        .map(rowToEvent);
      if (events.length) channel.push(events);
    };
    while (after < range.upTo) {
      const rows = await this.store.after(after, POLL_BATCH);
      if (!rows.length) break;
      for (const row of rows) if (row.id <= range.upTo) pending.push(row);
      after = rows[rows.length - 1].id;
      // hold back a shared revision whose last row is still to be read
      const n = closedPrefix(pending);
      emit(pending.slice(0, n));
      pending = pending.slice(n);
    }
    emit(pending);
  }

  /** publishes a committed transaction's rows, or leaves them to the poll loop when ids interleave with other servers' */
  private committed(rows: Row[]): void {
    if (!rows.length) return;
    let contiguous = rows[0].id === this.delivered + 1;
    for (let i = 1; contiguous && i < rows.length; i++) contiguous = rows[i].id === rows[i - 1].id + 1;
    if (contiguous) {
      this.delivered = rows[rows.length - 1].id;
      this.broadcaster.publish(rows);
    } else if (this.store.singleWriter) {
      this.opts.log(`datastore: revisions ${rows[0].id}.. committed after ${this.delivered}`);
      const fresh = rows.filter((r) => r.id > this.delivered);
      this.delivered = Math.max(this.delivered, rows[rows.length - 1].id);
      this.broadcaster.publish(fresh);
    } else {
      void this.poll().catch((err: unknown) => this.opts.log(`datastore: poll: ${String(err)}`));
    }
  }

  /** reads rows other servers committed; fills ids missing for longer than the gap timeout */
  private async poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    try {
      do {
        this.pollAgain = false;
        await this.pollOnce();
      } while (this.pollAgain && !this.closed);
    } finally {
      this.polling = false;
    }
  }

  private async pollOnce(): Promise<void> {
    let rows = await this.store.after(this.delivered, POLL_BATCH);
    // a shared revision larger than a batch: read on until its last row is in
    for (let limit = POLL_BATCH * 2; rows.length === limit / 2 && closedPrefix(rows) === 0; limit *= 2) {
      rows = await this.store.after(this.delivered, limit);
    }
    const ready: Row[] = [];
    let gap = 0;
    for (const row of rows) {
      // a local commit may have published these while the query ran
      if (row.id <= this.delivered) continue;
      const expected = (ready.length ? ready[ready.length - 1].id : this.delivered) + 1;
      if (row.id !== expected) {
        gap = expected;
        break;
      }
      ready.push(row);
    }
    // another server's shared revision may interleave ids with others: publish only whole revisions, in order
    const n = closedPrefix(ready);
    if (n > 0) {
      this.delivered = ready[n - 1].id;
      this.broadcaster.publish(inRevisionOrder(ready.slice(0, n)));
      if (rows.length === POLL_BATCH) this.pollAgain = true;
    }
    if (gap) await this.handleGap(gap);
  }

  private async handleGap(id: number): Promise<void> {
    const since = this.gapSince.get(id) ?? Date.now();
    this.gapSince.set(id, since);
    if (Date.now() - since < this.opts.gapTimeoutMs) {
      setTimeout(() => void this.poll().catch(() => undefined), 100).unref();
      return;
    }
    // a rolled-back insert left this id unused; a gap row makes it a revision nobody sees
    await this.store.fillGap(id);
    this.gapSince.delete(id);
    this.pollAgain = true;
  }

  async compact(revision: number): Promise<number> {
    const current = await this.currentRevision();
    if (revision > current) throw new FutureRevisionError();
    const compact = await this.compactRevision();
    if (revision <= compact) throw new CompactedError(compact, current);
    // in steps, so writers are not held back by one long transaction
    const step = 10_000;
    for (let t = Math.min(revision, compact + step); ; t = Math.min(revision, t + step)) {
      await this.store.compact(t);
      this.compactRev = t;
      if (t >= revision) break;
    }
    return revision;
  }

  private async compactLoop(): Promise<void> {
    const target = (await this.currentRevision()) - this.opts.compactRetention;
    if (target > (await this.compactRevision())) await this.compact(target);
  }

  dbSize(): Promise<number> {
    return this.store.dbSize();
  }
}

/**
 * how many rows (in id order) form the longest prefix that holds every row of
 * its revisions: a row sharing a later row's revision waits for that row
 */
export function closedPrefix(rows: Row[]): number {
  let maxRevision = 0;
  let n = 0;
  rows.forEach((row, i) => {
    maxRevision = Math.max(maxRevision, row.modRevision);
    if (maxRevision <= row.id) n = i + 1;
  });
  return n;
}

/** rows ordered by revision, then id (only shared revisions of interleaved writers reorder anything) */
function inRevisionOrder(rows: Row[]): Row[] {
  return rows.some((r) => r.modRevision !== r.id) ? [...rows].sort((a, b) => a.modRevision - b.modRevision || a.id - b.id) : rows;
}
