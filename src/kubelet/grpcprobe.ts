/** gRPC probes: grpc.health.v1.Health/Check over plaintext HTTP/2, as upstream's prober (SERVING passes, anything else fails). */
import { Client as GrpcClient, credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import type { GRPCAction } from "./types.ts";

/** Where the check goes and how long it may take. */
export interface GrpcTarget {
  host: string;
  timeoutSeconds: number;
}

const STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];

/** HealthCheckRequest { string service = 1 }, hand-encoded: one field needs no proto loader. */
export function encodeHealthRequest(service: string): Buffer {
  if (!service) return Buffer.alloc(0);
  const body = Buffer.from(service);
  return Buffer.concat([Buffer.from([0x0a]), varint(body.length), body]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** HealthCheckResponse { ServingStatus status = 1 } → the status number (0 when absent). */
export function decodeHealthResponse(buf: Buffer): number {
  let i = 0;
  let status = 0;
  const readVarint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++];
      if (b === undefined) throw new Error("truncated health response");
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return v;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const tag = readVarint();
    const wire = tag & 7;
    if (wire === 0) {
      const v = readVarint();
      if (tag >>> 3 === 1) status = v;
    } else if (wire === 2) {
      const len = readVarint();
      i += len;
    }
    else if (wire === 5) i += 4;
    else if (wire === 1) i += 8;
    else throw new Error(`unexpected wire type ${wire} in health response`);
  }
  return status;
}

/** Runs one Health/Check against host:port; ok only for SERVING. */
export function grpcHealthCheck(g: GRPCAction, t: GrpcTarget): Promise<{ ok: boolean; message: string }> {
  const host = t.host.includes(":") ? `[${t.host}]` : t.host;
  const addr = `${host}:${g.port}`;
  const client = new GrpcClient(addr, credentials.createInsecure(), { "grpc.primary_user_agent": "kube-probe/1.32" });
  const md = new Metadata();
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      "/grpc.health.v1.Health/Check",
      (b: Buffer) => b,
      (b: Buffer) => b,
      encodeHealthRequest(g.service ?? ""),
      md,
      { deadline: Date.now() + t.timeoutSeconds * 1000 },
      (err: ServiceError | null, res?: Buffer) => {
        client.close();
        if (err) {
          // code 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE: upstream reports both as a connection timeout/failure
          const msg = err.code === 4 || err.code === 14 ? `timeout: failed to connect service "${addr}" within ${t.timeoutSeconds}s: ${err.details}` : `rpc error: code = ${err.code} desc = ${err.details}`;
          return resolve({ ok: false, message: msg });
        }
        let status: number;
        try {
          status = decodeHealthResponse(res ?? Buffer.alloc(0));
        } catch (e) {
          return resolve({ ok: false, message: (e as Error).message });
        }
        resolve(status === 1 ? { ok: true, message: "" } : { ok: false, message: `service unhealthy (responded with "${STATUS[status] ?? status}")` });
      },
    );
  });
}
