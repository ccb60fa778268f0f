/**
 * An etcd v3 client: the KV, Lease, Watch and Maintenance calls the
 * datastore needs, with protobufjs messages over our own gRPC transport.
 * Calls that failed because no endpoint answered are retried on the next
 * endpoint; reads are retried after any UNAVAILABLE, writes only when they
 * surely never reached etcd (so a write is never applied twice).
 */
import type protobuf from "protobufjs";
import { etcdRoot } from "../etcd/proto.ts";
import type { PbDeleteRangeRequest, PbHeader, PbKeyValue, PbPutRequest, PbRangeRequest, PbRangeResponse, PbTxnRequest, PbWatchRequest, PbWatchResponse } from "../etcd/messages.ts";
import type { EtcdConnection } from "./connection.ts";
import { Code, GrpcCallError, openStream, unaryCall } from "./grpc.ts";

export interface PbPutResponse {
  header: PbHeader;
  prev_kv?: PbKeyValue;
}

export interface PbDeleteRangeResponse {
  header: PbHeader;
  deleted: number;
  prev_kvs: PbKeyValue[];
}

export interface PbResponseOp {
  response?: "response_range" | "response_put" | "response_delete_range" | "response_txn";
  response_range?: PbRangeResponse;
  response_put?: PbPutResponse;
  response_delete_range?: PbDeleteRangeResponse;
  response_txn?: PbTxnResponse;
}

export interface PbTxnResponse {
  header: PbHeader;
  succeeded: boolean;
  responses: PbResponseOp[];
}

export interface PbLeaseGrantResponse {
  header: PbHeader;
  ID: number;
  TTL: number;
  error: string;
}

export interface PbLeaseTimeToLiveResponse {
  header: PbHeader;
  ID: number;
  TTL: number;
  grantedTTL: number;
  keys: Buffer[];
}

export interface PbStatusResponse {
  header: PbHeader;
  version: string;
  dbSize: number;
}

/** A request message: any subset of its fields, at any depth (protobufjs fills the rest with defaults). */
export type RequestOf<T> = T extends Buffer ? T : T extends (infer U)[] ? RequestOf<U>[] : T extends object ? { [K in keyof T]?: RequestOf<T[K]> } : T;

interface MethodSpec {
  path: string;
  request: string;
  response: string;
  /** safe to send again after an unclear failure */
  idempotent: boolean;
}

const method = (service: string, name: string, request: string, response: string, idempotent: boolean): MethodSpec => ({
  path: `/etcdserverpb.${service}/${name}`,
  request,
  response,
  idempotent,
});

const RANGE = method("KV", "Range", "RangeRequest", "RangeResponse", true);
const PUT = method("KV", "Put", "PutRequest", "PutResponse", false);
const DELETE_RANGE = method("KV", "DeleteRange", "DeleteRangeRequest", "DeleteRangeResponse", false);
const TXN = method("KV", "Txn", "TxnRequest", "TxnResponse", false);
const COMPACT = method("KV", "Compact", "CompactionRequest", "CompactionResponse", false);
const LEASE_GRANT = method("Lease", "LeaseGrant", "LeaseGrantRequest", "LeaseGrantResponse", false);
const LEASE_REVOKE = method("Lease", "LeaseRevoke", "LeaseRevokeRequest", "LeaseRevokeResponse", false);
const LEASE_TTL = method("Lease", "LeaseTimeToLive", "LeaseTimeToLiveRequest", "LeaseTimeToLiveResponse", true);
const LEASE_LEASES = method("Lease", "LeaseLeases", "LeaseLeasesRequest", "LeaseLeasesResponse", true);
const STATUS = method("Maintenance", "Status", "StatusRequest", "StatusResponse", true);
const WATCH = "/etcdserverpb.Watch/Watch";
const KEEP_ALIVE = "/etcdserverpb.Lease/LeaseKeepAlive";

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, oneofs: true };

/** Options of EtcdClient. */
export interface ClientOptions {
  /** how long one call may take, retries included (default 10 s) */
  timeoutMs?: number;
}

/** Callbacks of a watch stream. */
export interface WatchStreamHandlers {
  response(res: PbWatchResponse): void;
  /** the stream ended (etcd gone, or an error status) */
  close(err?: GrpcCallError): void;
}

/** An open Watch stream. */
export interface WatchStream {
  send(req: RequestOf<PbWatchRequest>): void;
  cancel(): void;
}

/** typed etcd calls over a connection */
export class EtcdClient {
  private readonly root = etcdRoot();
  private readonly timeoutMs: number;

  constructor(
    private conn: EtcdConnection,
    opts: ClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  private type(name: string): protobuf.Type {
    return this.root.lookupType(`etcdserverpb.${name}`);
  }

  private encode(name: string, msg: object): Uint8Array {
    const type = this.type(name);
    return type.encode(type.fromObject(msg)).finish();
  }

  private decode<T>(name: string, body: Buffer): T {
    const type = this.type(name);
    return type.toObject(type.decode(body), TO_OBJECT) as T;
  }

  private async call<T>(spec: MethodSpec, req: object, opts: { once?: boolean } = {}): Promise<T> {
    const body = this.encode(spec.request, req);
    const deadline = Date.now() + this.timeoutMs;
    for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
      let session;
      try {
        session = await this.conn.session();
        return this.decode<T>(spec.response, await unaryCall(session, spec.path, body, { timeoutMs: Math.max(1, deadline - Date.now()) }));
      } catch (err) {
        if (!(err instanceof GrpcCallError) || (err.code !== Code.UNAVAILABLE && err.code !== Code.DEADLINE_EXCEEDED)) throw err;
        // this member cannot serve (down, partitioned, no leader): the next call goes to another
        if (session) this.conn.drop(session);
        const again = !opts.once && err.code === Code.UNAVAILABLE && (spec.idempotent || err.notSent);
        if (!again || Date.now() + pause >= deadline) throw err;
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  range(req: RequestOf<PbRangeRequest>): Promise<PbRangeResponse> {
    return this.call(RANGE, req);
  }

  put(req: RequestOf<PbPutRequest>): Promise<PbPutResponse> {
    return this.call(PUT, req);
  }

  deleteRange(req: RequestOf<PbDeleteRangeRequest>): Promise<PbDeleteRangeResponse> {
    return this.call(DELETE_RANGE, req);
  }

  txn(req: RequestOf<PbTxnRequest>): Promise<PbTxnResponse> {
    return this.call(TXN, req);
  }

  compact(revision: number): Promise<{ header: PbHeader }> {
    return this.call(COMPACT, { revision, physical: false });
  }

  leaseGrant(ttl: number, id: number): Promise<PbLeaseGrantResponse> {
    return this.call(LEASE_GRANT, { TTL: ttl, ID: id });
  }

  leaseRevoke(id: number): Promise<{ header: PbHeader }> {
    return this.call(LEASE_REVOKE, { ID: id });
  }

  leaseTimeToLive(id: number, keys: boolean): Promise<PbLeaseTimeToLiveResponse> {
    return this.call(LEASE_TTL, { ID: id, keys });
  }

  leaseLeases(): Promise<{ header: PbHeader; leases: { ID: number }[] }> {
    return this.call(LEASE_LEASES, {});
  }

  /** the member's status; `once` tries the endpoints one round only (start-up retries and logs itself) */
  status(opts: { once?: boolean } = {}): Promise<PbStatusResponse> {
    return this.call(STATUS, {}, opts);
  }

  /** renews a lease once (a keep-alive stream with one request); resolves with the TTL, 0 when the lease is gone */
  async leaseKeepAliveOnce(id: number): Promise<number> {
    const session = await this.conn.session();
    return new Promise((resolve, reject) => {
      const stream = openStream(
        session,
        KEEP_ALIVE,
        {
          message: (m) => {
            stream.cancel();
            resolve(this.decode<{ TTL: number }>("LeaseKeepAliveResponse", m).TTL);
          },
          close: (err) => reject(err ?? new GrpcCallError(Code.UNKNOWN, "etcd ended the keep-alive stream without an answer")),
        },
        { timeoutMs: this.timeoutMs },
      );
      stream.send(this.encode("LeaseKeepAliveRequest", { ID: id }));
    });
  }

  /** opens a Watch stream on the current connection */
  async watch(handlers: WatchStreamHandlers): Promise<WatchStream> {
    const session = await this.conn.session();
    const stream = openStream(session, WATCH, {
      message: (m) => handlers.response(this.decode<PbWatchResponse>("WatchResponse", m)),
      close: (err) => {
        if (err?.code === Code.UNAVAILABLE) this.conn.drop(session);
        handlers.close(err);
      },
    });
    return {
      send: (req) => stream.send(this.encode("WatchRequest", req)),
      cancel: () => stream.cancel(),
    };
  }

  /** true once closed: watches stop resuming */
  get isClosed(): boolean {
    return this.conn.isClosed;
  }

  close(): void {
    this.conn.close();
  }
}
