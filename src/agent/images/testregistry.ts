/**
 * A small OCI distribution server for tests: serves one image (demo/app:1)
 * over plain HTTP on 127.0.0.1 behind basic auth, and records what it was asked.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ociImageBlobs } from "./oci.ts";
import { writeTar } from "./tar.ts";

/** A running test registry. */
export interface TestRegistry {
  server: Server;
  port: number;
  /** "<METHOD> <url> auth|anon" per request */
  seen: string[];
  close(): Promise<void>;
}

/** Starts a registry serving demo/app:1 (a one-file image) to clients presenting user:password. */
export function startTestRegistry(opts: { auth: string }): Promise<TestRegistry> {
  const img = ociImageBlobs({ name: "demo/app:1", layers: [writeTar([{ name: "hello.txt", type: "file", data: Buffer.from("hi from the registry\n") }])], config: { cmd: ["/hello.txt"] } });
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ? "auth" : "anon"}`);
    if (req.headers.authorization !== `Basic ${Buffer.from(opts.auth).toString("base64")}`) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="test"', "Content-Type": "application/json" });
      return res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    }
    const url = req.url ?? "/";
    const send = (type: string, body: Buffer, digest: string): void => {
      res.writeHead(200, { "Content-Type": type, "Content-Length": body.length, "Docker-Content-Digest": digest });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (url === "/v2/" || url === "/v2") return send("application/json", Buffer.from("{}"), "");
    const m = /^\/v2\/demo\/app\/(manifests|blobs)\/([^?]+)/.exec(url);
    if (m?.[1] === "manifests" && (m[2] === "1" || m[2] === img.manifestDigest)) return send("application/vnd.oci.image.manifest.v1+json", img.manifest, img.manifestDigest);
    const blob = m?.[1] === "blobs" ? img.blobs.get(m[2]!) : undefined;
    if (blob) return send("application/octet-stream", blob, m![2]!);
    res.writeHead(404, { "Content-Type": "application/json" });
    res.end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"not found"}]}');
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        seen,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}
