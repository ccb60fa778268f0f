/**
 * The etcd v3 gRPC endpoint over a backend, on a unix socket (k3s's kine.sock)
 * and/or a TCP address.
 */
import { createServer as createNetServer, type Server as NetServer } from "node:net";
import { chmodSync, existsSync, unlinkSync } from "node:fs";
import { hostname } from "node:os";
import type { KineBackend } from "../log/kine-backend.ts";
import { header, MEMBER_ID } from "./convert.ts";
import { toStatus } from "./errors.ts";
import { GrpcServer, type DuplexCall } from "./grpc.ts";
import * as kv from "./kv.ts";
import { MAX_REQUEST_BYTES } from "./kv.ts";
import * as lease from "./lease.ts";
import { etcdRoot } from "./proto.ts";
import { serveWatch } from "./watch.ts";

/** Options of startEtcdServer. */
export interface EtcdServerOptions {
  /** unix socket path (k3s: <data-dir>/server/kine.sock) */
  socketPath?: string;
  /** host:port to listen on too; port 0 picks a free one */
  tcpAddress?: string;
}

/** A running etcd endpoint. */
export interface EtcdServer {
  /** the TCP port bound, when tcpAddress was given */
  port?: number;
  close(): Promise<void>;
}

/** the version this endpoint reports (etcd 3.5 API) */
export const EMULATED_VERSION = "3.5.16";

type Handler = (req: never) => Promise<unknown>;

function register(grpc: GrpcServer, be: KineBackend, urls: string[]): void {
  const root = etcdRoot();
  const type = (name: string) => root.lookupType(`etcdserverpb.${name}`);
  const unary = (service: string, method: string, req: string, res: string, handle: Handler) =>
    grpc.add(`/etcdserverpb.${service}/${method}`, { kind: "unary", request: type(req), response: type(res), handle });
  unary("KV", "Range", "RangeRequest", "RangeResponse", (req: Parameters<typeof kv.range>[1]) => kv.range(be, req));
  unary("KV", "Put", "PutRequest", "PutResponse", (req: Parameters<typeof kv.put>[1]) => kv.put(be, req));
  unary("KV", "DeleteRange", "DeleteRangeRequest", "DeleteRangeResponse", (req: Parameters<typeof kv.deleteRange>[1]) => kv.deleteRange(be, req));
  unary("KV", "Txn", "TxnRequest", "TxnResponse", (req: Parameters<typeof kv.txn>[1]) => kv.txn(be, req));
  unary("KV", "Compact", "CompactionRequest", "CompactionResponse", (req: { revision: number }) => kv.compact(be, req));
  grpc.add("/etcdserverpb.Watch/Watch", {
    kind: "bidi",
    request: type("WatchRequest"),
    response: type("WatchResponse"),
    handle: (call: DuplexCall<unknown, unknown>) => serveWatch(be, call as unknown as Parameters<typeof serveWatch>[1]),
  });
  unary("Lease", "LeaseGrant", "LeaseGrantRequest", "LeaseGrantResponse", (req: { TTL: number; ID: number }) => lease.grant(be, req));
  unary("Lease", "LeaseRevoke", "LeaseRevokeRequest", "LeaseRevokeResponse", (req: { ID: number }) => lease.revoke(be, req));
  unary("Lease", "LeaseTimeToLive", "LeaseTimeToLiveRequest", "LeaseTimeToLiveResponse", (req: { ID: number; keys: boolean }) => lease.timeToLive(be, req));
  unary("Lease", "LeaseLeases", "LeaseLeasesRequest", "LeaseLeasesResponse", () => lease.leases(be));
  grpc.add("/etcdserverpb.Lease/LeaseKeepAlive", {
    kind: "bidi",
    request: type("LeaseKeepAliveRequest"),
    response: type("LeaseKeepAliveResponse"),
    handle: (call: DuplexCall<unknown, unknown>) => lease.serveKeepAlive(be, call as unknown as Parameters<typeof lease.serveKeepAlive>[1]),
  });
  unary("Maintenance", "Status", "StatusRequest", "StatusResponse", async () => {
    const rev = await be.currentRevision();
    const size = await be.dbSize();
    return {
      header: header(rev),
      version: EMULATED_VERSION,
      dbSize: size,
      leader: MEMBER_ID,
      raftIndex: rev,
      raftTerm: 1,
      raftAppliedIndex: rev,
      errors: [],
      dbSizeInUse: size,
      isLearner: false,
    };
  });
  unary("Cluster", "MemberList", "MemberListRequest", "MemberListResponse", async () => ({
    header: header(await be.currentRevision()),
    members: [{ ID: MEMBER_ID, name: hostname(), peerURLs: ["http://127.0.0.1:2380"], clientURLs: urls, isLearner: false }],
  }));
}

function listen(server: NetServer, target: string | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    const done = () => {
      server.off("error", reject);
      resolve();
    };
    if (typeof target === "string") server.listen(target, done);
    else server.listen(target.port, target.host, done);
  });
}

function parseHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(":");
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`etcd server: bad tcp address ${JSON.stringify(address)}`);
  return { host: address.slice(0, colon).replace(/^\[|\]$/g, "") || "127.0.0.1", port };
}

/** serves the etcd v3 API for the backend on the given socket and/or TCP address */
export async function startEtcdServer(backend: KineBackend, opts: EtcdServerOptions): Promise<EtcdServer> {
  if (!opts.socketPath && !opts.tcpAddress) throw new Error("etcd server: give a socketPath or a tcpAddress");
  // etcd's 1.5 MiB request limit plus gRPC overhead, as etcd and kine allow
  const grpc = new GrpcServer({ maxMessageBytes: MAX_REQUEST_BYTES + 512 * 1024, toStatus });
  const urls: string[] = [];
  const listeners: NetServer[] = [];
  let port: number | undefined;
  try {
    if (opts.socketPath) {
      if (existsSync(opts.socketPath)) unlinkSync(opts.socketPath);
      // any :authority is fine here: etcdctl sends the socket's absolute path in it (node:http2 refused that)
      const unix = createNetServer((socket) => grpc.accept(socket));
      listeners.push(unix);
      await listen(unix, opts.socketPath);
      chmodSync(opts.socketPath, 0o600);
      urls.push(`unix://${opts.socketPath}`);
    }
    if (opts.tcpAddress) {
      const target = parseHostPort(opts.tcpAddress);
      const tcp = createNetServer({ noDelay: true }, (socket) => grpc.accept(socket));
      listeners.push(tcp);
      await listen(tcp, target);
      const addr = tcp.address();
      port = typeof addr === "object" && addr ? addr.port : target.port;
      urls.push(`http://${target.host.includes(":") ? `[${target.host}]` : target.host}:${port}`);
    }
  } catch (err) {
    for (const l of listeners) l.close();
    throw new Error(`etcd server: cannot listen on ${opts.socketPath ?? ""} ${opts.tcpAddress ?? ""}: ${String(err)}`);
  }
  register(grpc, backend, urls);
  return {
    port,
    close: async () => {
      for (const l of listeners) l.close();
      grpc.close();
      if (opts.socketPath && existsSync(opts.socketPath)) unlinkSync(opts.socketPath);
    },
  };
}
