/**
 * A lean etcd Put load generator: raw HTTP/2 with hand-encoded protobuf, so
 * the client costs far less CPU than the servers it measures.
 */
import { connect, constants, type ClientHttp2Session } from "node:http2";
import { connect as tcpConnect } from "node:net";

/** Raw figures of one load process. */
export interface LoadSample {
  latencies: number[];
  seconds: number;
  errors: number;
}

/** One measured run. */
export interface LoadResult {
  clients: number;
  puts: number;
  seconds: number;
  putsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Options of runLoad. */
export interface LoadOptions {
  clients: number;
  durationMs: number;
  valueBytes?: number;
  /** key prefix, so runs do not collide */
  prefix: string;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** a gRPC-framed etcdserverpb.PutRequest{key, value} */
function putFrame(key: string, value: Buffer): Buffer {
  const k = Buffer.from(key);
  const msg = Buffer.concat([Buffer.from([0x0a]), varint(k.length), k, Buffer.from([0x12]), varint(value.length), value]);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(msg.length, 1);
  return Buffer.concat([head, msg]);
}

function put(session: ClientHttp2Session, frame: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = session.request({
      [constants.HTTP2_HEADER_METHOD]: "POST",
      [constants.HTTP2_HEADER_PATH]: "/etcdserverpb.KV/Put",
      "content-type": "application/grpc",
      te: "trailers",
    });
    let status: string | undefined;
    req.on("response", (h) => {
      if (h["grpc-status"] !== undefined) status = String(h["grpc-status"]);
    });
    req.on("trailers", (t) => (status = String(t["grpc-status"])));
    req.on("data", () => undefined);
    req.on("error", reject);
    req.on("close", () => (status === "0" ? resolve() : reject(new Error(`grpc-status ${status}`))));
    req.end(frame);
  });
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** drives `clients` sequential putters (one HTTP/2 connection each) at the endpoint for the duration */
export async function runLoad(url: string, opts: LoadOptions): Promise<LoadResult> {
  return summarize(opts.clients, [await runSample(url, opts)]);
}

/** the combined figures of several load processes */
export function summarize(clients: number, samples: LoadSample[]): LoadResult {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = Math.max(...samples.map((s) => s.seconds));
  return {
    clients,
    puts: latencies.length,
    seconds,
    putsPerSec: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors: samples.reduce((n, s) => n + s.errors, 0),
  };
}

/** one process's share of a run */
export async function runSample(url: string, opts: LoadOptions): Promise<LoadSample> {
  const value = Buffer.alloc(opts.valueBytes ?? 1024, 120);
  const sessions = await Promise.all(
    Array.from({ length: opts.clients }, () => {
      const u = new URL(url);
      // TCP_NODELAY as gRPC clients set it: otherwise Nagle holds a request's DATA frame behind its HEADERS
      const s = connect(url, { createConnection: () => tcpConnect({ host: u.hostname, port: Number(u.port), noDelay: true }) });
      return new Promise<ClientHttp2Session>((resolve, reject) => {
        s.once("connect", () => resolve(s));
        s.once("error", reject);
      });
    }),
  );
  // one put each to open the streams' paths before timing
  await Promise.all(sessions.map((s, c) => put(s, putFrame(`${opts.prefix}/warm/${c}`, value))));
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + opts.durationMs;
  await Promise.all(
    sessions.map(async (s, c) => {
      for (let i = 0; performance.now() < end; i++) {
        const t0 = performance.now();
        try {
          await put(s, putFrame(`${opts.prefix}/${c}/${i}`, value));
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  for (const s of sessions) s.close();
  return { latencies, seconds, errors };
}
