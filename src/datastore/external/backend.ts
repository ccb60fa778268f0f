/**
 * The datastore Backend over an external etcd cluster (k3s's
 * --datastore-endpoint=https://...): no kine in between. Guarded writes are
 * etcd transactions (create = compare create_revision == 0, update and
 * delete = compare mod_revision), so several servers can share the cluster.
 */
import { randomInt } from "node:crypto";
import { CompactedError, ConflictError, FutureRevisionError } from "../backend.ts";
import type { KeyValue, ListOptions, ListResult, WatchEvent, WatchOptions } from "../backend.ts";
import { retryConnect } from "../drivers/generic/retry.ts";
import type { KineBackend, PutOptions } from "../log/kine-backend.ts";
import { LeaseExistsError, type LeaseStatus } from "../log/leases.ts";
import type { TxnRequest, TxnResult } from "../log/txn.ts";
import { EtcdClient, type PbTxnResponse } from "./client.ts";
import { findCompactRevision, startCompactionLoop } from "./compaction.ts";
import { EtcdConnection, type TlsFiles } from "./connection.ts";
import { fromPbKv, fromPbTxn, keyBytes, toPbTxn } from "./convert.ts";
import { fromEtcdError, isCompacted, type ErrorContext } from "./errors.ts";
import { openWatch } from "./watch.ts";

/** Options of EtcdBackend. */
export interface EtcdBackendOptions {
  /** client URLs, scheme://host:port, tried in order */
  endpoints: string[];
  tls?: TlsFiles;
  /** how long to keep retrying an unreachable cluster at start (default 5 minutes) */
  connectTimeoutMs?: number;
  /** how long one call may take, retries on other endpoints included (default 10 s) */
  callTimeoutMs?: number;
  /** how often to compact; 0 = never (default 5 minutes, as for kine) */
  compactIntervalMs?: number;
  /** revisions kept behind the head by the compaction loop (default 1000, as for kine) */
  compactRetention?: number;
  log?: (msg: string) => void;
}

/** a key no one writes: reading it costs etcd nothing and its header tells the revision */
const PROBE_KEY = keyBytes("\0");

/** KineBackend on etcd: the Backend contract plus etcd's own put/txn/lease calls, passed through */
export class EtcdBackend implements KineBackend {
  private readonly client: EtcdClient;
  private readonly log: (msg: string) => void;
  private compactRev = 0;
  private stopCompaction: () => void = () => undefined;

  constructor(private opts: EtcdBackendOptions) {
    this.log = opts.log ?? (() => undefined);
    this.client = new EtcdClient(new EtcdConnection({ endpoints: opts.endpoints, tls: opts.tls, log: this.log }), { timeoutMs: opts.callTimeoutMs });
  }

  async start(): Promise<void> {
    const probe = async () => {
      const { version } = await this.client.status({ once: true });
      // a member without a leader answers Status but not a (linearizable) read: wait for a cluster that serves
      return { version, revision: await this.currentRevision() };
    };
    const { version, revision } = await retryConnect(probe, { what: `etcd ${this.opts.endpoints.join(",")}`, timeoutMs: this.opts.connectTimeoutMs, log: this.log });
    this.log(`datastore: connected to etcd ${version} at revision ${revision}`);
    await this.refreshCompactRevision(revision);
    this.stopCompaction = startCompactionLoop({
      intervalMs: this.opts.compactIntervalMs ?? 5 * 60_000,
      retention: this.opts.compactRetention ?? 1000,
      current: () => this.currentRevision(),
      compacted: () => this.compactRevision(),
      compact: (rev) => this.compact(rev).catch((err: unknown) => {
        // another server sharing the cluster compacted first
        if (!(err instanceof CompactedError)) throw err;
      }),
      log: this.log,
    });
  }

  async close(): Promise<void> {
    this.stopCompaction();
    this.client.close();
  }

  /** runs an etcd call and maps its error; a compacted read learns the new compact revision first */
  private async run<T>(call: () => Promise<T>, ctx: ErrorContext = {}): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (isCompacted(err)) {
        const current = await this.currentRevision();
        await this.refreshCompactRevision(current);
        throw new CompactedError(this.compactRev, current);
      }
      throw fromEtcdError(err, ctx);
    }
  }

  private async refreshCompactRevision(current: number): Promise<void> {
    const readable = (revision: number) =>
      this.client.range({ key: PROBE_KEY, revision, count_only: true }).then(
        () => true,
        (err: unknown) => {
          if (isCompacted(err)) return false;
          throw fromEtcdError(err);
        },
      );
    this.compactRev = Math.max(this.compactRev, await findCompactRevision(readable, current));
  }

  async currentRevision(): Promise<number> {
    return (await this.run(() => this.client.range({ key: PROBE_KEY, count_only: true }))).header.revision;
  }

  /** the newest compact revision this server knows of (its own compactions, and any a read ran into) */
  async compactRevision(): Promise<number> {
    return this.compactRev;
  }

  async get(key: string, revision = 0): Promise<{ revision: number; kv?: KeyValue }> {
    const r = await this.run(() => this.client.range({ key: keyBytes(key), revision }), { key });
    return { revision: revision || r.header.revision, kv: r.kvs.length ? fromPbKv(r.kvs[0]) : undefined };
  }

  async list(start: string, opts: ListOptions = {}): Promise<ListResult> {
    const revision = opts.revision ?? 0;
    const r = await this.run(() =>
      this.client.range({ key: keyBytes(start), range_end: keyBytes(opts.end), revision, limit: opts.limit ?? 0, keys_only: !!opts.keysOnly }),
    );
    // a read at a revision is "at" that revision, as the log backend reports it (etcd's header has the newest)
    return { revision: revision || r.header.revision, kvs: r.kvs.map(fromPbKv), more: r.more, count: r.count };
  }

  async count(start: string, end: string, revision = 0): Promise<{ revision: number; count: number }> {
    const r = await this.run(() => this.client.range({ key: keyBytes(start), range_end: keyBytes(end), revision, count_only: true }));
    return { revision: revision || r.header.revision, count: r.count };
  }

  async create(key: string, value: Buffer, lease = 0): Promise<number> {
    const k = keyBytes(key);
    const r = await this.run(
      () =>
        this.client.txn({
          compare: [{ key: k, target: "CREATE", result: "EQUAL", create_revision: 0 }],
          success: [{ request_put: { key: k, value, lease } }],
          failure: [{ request_range: { key: k } }],
        }),
      { key, lease },
    );
    if (!r.succeeded) throw new ConflictError(`key exists: ${key}`, currentOf(r));
    return r.header.revision;
  }

  async update(key: string, value: Buffer, expectedModRevision: number, lease = 0): Promise<KeyValue> {
    const k = keyBytes(key);
    const r = await this.run(
      () =>
        this.client.txn({
          // version > 0: a missing key has mod_revision 0 too, and must not be created by an update
          compare: [
            { key: k, target: "MOD", result: "EQUAL", mod_revision: expectedModRevision },
            { key: k, target: "VERSION", result: "GREATER", version: 0 },
          ],
          // the range after the put reads the new incarnation's create revision and version in the same txn
          success: [{ request_put: { key: k, value, lease } }, { request_range: { key: k } }],
          failure: [{ request_range: { key: k } }],
        }),
      { key, lease },
    );
    if (!r.succeeded) throw guardFailed(key, expectedModRevision, r);
    return fromPbKv(r.responses[1].response_range!.kvs[0]);
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }> {
    const k = keyBytes(key);
    const guard = expectedModRevision ? [{ key: k, target: "MOD", result: "EQUAL", mod_revision: expectedModRevision } as const] : [];
    const r = await this.run(
      () =>
        this.client.txn({
          compare: [{ key: k, target: "VERSION", result: "GREATER", version: 0 }, ...guard],
          success: [{ request_delete_range: { key: k, prev_kv: true } }],
          failure: [{ request_range: { key: k } }],
        }),
      { key },
    );
    if (!r.succeeded) throw guardFailed(key, expectedModRevision ?? 0, r);
    return { revision: r.header.revision, prevKv: fromPbKv(r.responses[0].response_delete_range!.prev_kvs[0]) };
  }

  async put(key: string, value: Buffer, opts: PutOptions = {}): Promise<{ revision: number; prevKv?: KeyValue }> {
    const r = await this.run(
      () => this.client.put({ key: keyBytes(key), value, lease: opts.lease ?? 0, prev_kv: true, ignore_value: !!opts.ignoreValue, ignore_lease: !!opts.ignoreLease }),
      { key, lease: opts.lease },
    );
    return { revision: r.header.revision, prevKv: r.prev_kv ? fromPbKv(r.prev_kv) : undefined };
  }

  async deleteRange(start: string, end?: string): Promise<{ revision: number; deleted: KeyValue[] }> {
    const r = await this.run(() => this.client.deleteRange({ key: keyBytes(start), range_end: keyBytes(end), prev_kv: true }), { key: start });
    return { revision: r.header.revision, deleted: r.prev_kvs.map(fromPbKv) };
  }

  async txn(req: TxnRequest): Promise<TxnResult> {
    return fromPbTxn(await this.run(() => this.client.txn(toPbTxn(req))));
  }

  async leaseGrant(ttl: number, id = 0): Promise<{ id: number; ttl: number }> {
    // etcd's own ids are random 63-bit numbers, beyond a JS number's exact range: choose one that fits
    for (let attempt = 0; ; attempt++) {
      const chosen = id || randomInt(1, 2 ** 48);
      try {
        const r = await this.run(() => this.client.leaseGrant(ttl, chosen), { lease: chosen });
        if (r.error) throw new Error(`etcd: lease grant: ${r.error}`);
        return { id: r.ID, ttl: r.TTL };
      } catch (err) {
        if (id || !(err instanceof LeaseExistsError) || attempt >= 3) throw err;
      }
    }
  }

  async leaseRevoke(id: number): Promise<number> {
    return (await this.run(() => this.client.leaseRevoke(id), { lease: id })).header.revision;
  }

  leaseKeepAlive(id: number): Promise<number> {
    return this.run(() => this.client.leaseKeepAliveOnce(id), { lease: id });
  }

  async leaseTimeToLive(id: number, keys: boolean): Promise<LeaseStatus> {
    const r = await this.run(() => this.client.leaseTimeToLive(id, keys), { lease: id });
    return { id, ttl: r.TTL, grantedTtl: r.grantedTTL, keys: r.keys.map((k) => k.toString("utf8")) };
  }

  async leaseList(): Promise<number[]> {
    return (await this.run(() => this.client.leaseLeases())).leases.map((l) => l.ID);
  }

  async watch(start: string, opts: WatchOptions): Promise<AsyncIterable<WatchEvent[]>> {
    const from = opts.startRevision ?? 0;
    // etcd cancels a watch from a compacted revision only after creating it: ask first, so the promise rejects as the contract says
    if (from > 0 && from < this.compactRev) throw new CompactedError(this.compactRev, await this.currentRevision());
    if (from > 0) await this.run(() => this.client.range({ key: keyBytes(start), revision: from, count_only: true })).catch(futureIsFine);
    return openWatch(this.client, { start, end: opts.end, startRevision: from, signal: opts.signal, log: this.log });
  }

  async compact(revision: number): Promise<number> {
    await this.run(() => this.client.compact(revision));
    this.compactRev = Math.max(this.compactRev, revision);
    return revision;
  }

  async dbSize(): Promise<number> {
    return (await this.run(() => this.client.status())).dbSize;
  }
}

/** a watch may start at the next revision, which no read can see yet */
function futureIsFine(err: unknown): void {
  if (!(err instanceof FutureRevisionError)) throw err;
}

/** the key's value from a failed txn's failure branch (a range of the key) */
function currentOf(r: PbTxnResponse): KeyValue | undefined {
  const kv = r.responses[0]?.response_range?.kvs[0];
  return kv ? fromPbKv(kv) : undefined;
}

function guardFailed(key: string, expected: number, r: PbTxnResponse): ConflictError {
  const current = currentOf(r);
  if (!current) return new ConflictError(`key not found: ${key}`);
  return new ConflictError(`mod revision of ${key} is ${current.modRevision}, not ${expected}`, current);
}
