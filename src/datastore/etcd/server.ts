/**
 * The etcd v3 gRPC endpoint over a backend, on a unix socket (k3s's kine.sock)
 * and/or a TCP address.
 */
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { existsSync, unlinkSync } from "node:fs";
import { hostname } from "node:os";
import type { KineBackend } from "../log/kine-backend.ts";
import { header, MEMBER_ID } from "./convert.ts";
import { toServiceError } from "./errors.ts";
import * as kv from "./kv.ts";
import * as lease from "./lease.ts";
import { etcdServices } from "./proto.ts";
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

function unary<Req, Res>(fn: (req: Req) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, cb: sendUnaryData<Res>) => {
    fn(call.request).then(
      (res) => cb(null, res),
      (err: unknown) => cb(toServiceError(err)),
    );
  };
}

function handlers(be: KineBackend, urls: string[]): Record<string, UntypedServiceImplementation> {
  return {
    KV: {
      Range: unary((req: Parameters<typeof kv.range>[1]) => kv.range(be, req)),
      Put: unary((req: Parameters<typeof kv.put>[1]) => kv.put(be, req)),
      DeleteRange: unary((req: Parameters<typeof kv.deleteRange>[1]) => kv.deleteRange(be, req)),
      Txn: unary((req: Parameters<typeof kv.txn>[1]) => kv.txn(be, req)),
      Compact: unary((req: { revision: number }) => kv.compact(be, req)),
    },
    Watch: { Watch: (call: Parameters<typeof serveWatch>[1]) => serveWatch(be, call) },
    Lease: {
      LeaseGrant: unary((req: { TTL: number; ID: number }) => lease.grant(be, req)),
      LeaseRevoke: unary((req: { ID: number }) => lease.revoke(be, req)),
      LeaseKeepAlive: (call: Parameters<typeof lease.serveKeepAlive>[1]) => lease.serveKeepAlive(be, call),
      LeaseTimeToLive: unary((req: { ID: number; keys: boolean }) => lease.timeToLive(be, req)),
      LeaseLeases: unary(() => lease.leases(be)),
    },
    Maintenance: {
      Status: unary(async () => {
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
      }),
    },
    Cluster: {
      MemberList: unary(async () => ({
        header: header(await be.currentRevision()),
        members: [{ ID: MEMBER_ID, name: hostname(), peerURLs: ["http://127.0.0.1:2380"], clientURLs: urls, isLearner: false }],
      })),
    },
  };
}

function bind(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
  });
}

/** serves the etcd v3 API for the backend on the given socket and/or TCP address */
export async function startEtcdServer(backend: KineBackend, opts: EtcdServerOptions): Promise<EtcdServer> {
  if (!opts.socketPath && !opts.tcpAddress) throw new Error("etcd server: give a socketPath or a tcpAddress");
  const server = new Server({
    // etcd's 1.5 MiB request limit plus gRPC overhead, as kine allows
    "grpc.max_receive_message_length": 2 * 1024 * 1024,
    "grpc.max_send_message_length": -1,
  });
  const urls: string[] = [];
  if (opts.socketPath) urls.push(`unix://${opts.socketPath}`);
  if (opts.tcpAddress) urls.push(`http://${opts.tcpAddress}`);
  const services = etcdServices();
  const impl = handlers(backend, urls);
  for (const name of Object.keys(services) as (keyof typeof services)[]) server.addService(services[name], impl[name]);
  let port: number | undefined;
  try {
    if (opts.socketPath) {
      if (existsSync(opts.socketPath)) unlinkSync(opts.socketPath);
      await bind(server, `unix:${opts.socketPath}`);
    }
    if (opts.tcpAddress) {
      port = await bind(server, opts.tcpAddress);
      urls[urls.length - 1] = `http://${opts.tcpAddress.replace(/:0$/, `:${port}`)}`;
    }
  } catch (err) {
    server.forceShutdown();
    throw new Error(`etcd server: cannot listen on ${opts.socketPath ?? ""} ${opts.tcpAddress ?? ""}: ${String(err)}`);
  }
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        if (opts.socketPath && existsSync(opts.socketPath)) unlinkSync(opts.socketPath);
        resolve();
      }),
  };
}
