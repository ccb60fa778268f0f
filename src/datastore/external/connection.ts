/**
 * One HTTP/2 connection to an etcd cluster at a time: the endpoints are
 * tried in order, a broken or unresponsive connection is dropped and the
 * next call connects to the next endpoint (etcd clientv3's failover).
 */
import { connect, type ClientHttp2Session, type SecureClientSessionOptions } from "node:http2";
import { Code, GrpcCallError } from "./grpc.ts";

/** PEM material for https endpoints. */
export interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Options of EtcdConnection. */
export interface ConnectionOptions {
  /** client URLs, scheme://host:port */
  endpoints: string[];
  tls?: TlsFiles;
  /** how long one endpoint may take to accept the connection (default 3 s) */
  dialTimeoutMs?: number;
  /** how often an idle connection is pinged to notice a dead peer (default 10 s; 0 = never) */
  keepAliveMs?: number;
  log?: (msg: string) => void;
}

/** the connection in use and the endpoint it goes to */
interface Live {
  session: ClientHttp2Session;
  endpoint: string;
}

/** hands out the current session, connecting (and failing over) when there is none */
export class EtcdConnection {
  private next = 0;
  private live?: Promise<Live>;
  private closed = false;
  private readonly opts: Required<Omit<ConnectionOptions, "tls">> & { tls?: TlsFiles };

  constructor(opts: ConnectionOptions) {
    if (!opts.endpoints.length) throw new Error("etcd connection: no endpoints given");
    this.opts = { dialTimeoutMs: 3000, keepAliveMs: 10_000, log: () => undefined, ...opts };
  }

  /** the endpoints, for messages */
  get endpoints(): string[] {
    return this.opts.endpoints;
  }

  /** a connected session; tries every endpoint once before failing with UNAVAILABLE (not sent) */
  async session(): Promise<ClientHttp2Session> {
    if (this.closed) throw new GrpcCallError(Code.UNAVAILABLE, "etcd client closed", true);
    this.live ??= this.connectAny();
    const pending = this.live;
    try {
      const live = await pending;
      if (!live.session.closed && !live.session.destroyed) return live.session;
    } catch (err) {
      if (this.live === pending) this.live = undefined;
      throw err;
    }
    if (this.live === pending) this.live = undefined;
    return this.session();
  }

  /** drops a session that failed (UNAVAILABLE, no leader): the next call goes to the next endpoint */
  drop(session: ClientHttp2Session): void {
    void this.live?.then(
      (live) => {
        if (live.session !== session) return;
        this.opts.log(`datastore: dropping the connection to etcd ${live.endpoint}`);
        this.live = undefined;
        session.destroy();
      },
      () => undefined,
    );
  }

  /** true once close() was called */
  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    const live = this.live;
    this.live = undefined;
    // destroy, not close: a graceful close would wait for open watch streams, which never end by themselves
    void live?.then((l) => l.session.destroy(), () => undefined);
  }

  private async connectAny(): Promise<Live> {
    const errors: string[] = [];
    const n = this.opts.endpoints.length;
    for (let i = 0; i < n; i++) {
      const endpoint = this.opts.endpoints[(this.next + i) % n];
      try {
        const session = await this.dial(endpoint);
        // the one after this is where a failover goes
        this.next = (this.next + i + 1) % n;
        this.watchSession(session, endpoint);
        return { session, endpoint };
      } catch (err) {
        errors.push(`${endpoint}: ${(err as Error).message}`);
      }
    }
    throw new GrpcCallError(Code.UNAVAILABLE, `no etcd endpoint reachable (${errors.join("; ")})`, true);
  }

  private dial(endpoint: string): Promise<ClientHttp2Session> {
    const tls: SecureClientSessionOptions = endpoint.startsWith("https:") ? { ...this.opts.tls } : {};
    return new Promise((resolve, reject) => {
      const session = connect(endpoint, { ...tls, peerMaxConcurrentStreams: 1000 });
      const timer = setTimeout(() => fail(new Error(`no connection within ${this.opts.dialTimeoutMs} ms`)), this.opts.dialTimeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        session.destroy();
        reject(err);
      };
      session.once("error", fail);
      session.once("connect", (_session, socket) => {
        clearTimeout(timer);
        // small request frames must not wait for the previous answer's ACK (Nagle)
        if ("setNoDelay" in socket) socket.setNoDelay(true);
        session.off("error", fail);
        resolve(session);
      });
    });
  }

  /** forgets the session when it goes away, and pings it so a silent peer is noticed */
  private watchSession(session: ClientHttp2Session, endpoint: string): void {
    let ping: NodeJS.Timeout | undefined;
    session.once("close", () => {
      clearInterval(ping);
      void this.live?.then((l) => {
        if (l.session === session) this.live = undefined;
      }, () => undefined);
    });
    session.on("error", (err) => this.opts.log(`datastore: etcd ${endpoint}: ${err.message}`));
    session.once("goaway", () => session.close());
    if (!this.opts.keepAliveMs) return;
    ping = setInterval(() => {
      // a session torn down by a TLS alert may never emit close: stop pinging it here too
      if (session.destroyed || session.closed) return clearInterval(ping);
      const timer = setTimeout(() => this.drop(session), this.opts.keepAliveMs / 2);
      const sent = session.ping((err) => {
        clearTimeout(timer);
        if (err) this.drop(session);
      });
      if (!sent) clearTimeout(timer);
    }, this.opts.keepAliveMs);
    ping.unref();
  }
}
