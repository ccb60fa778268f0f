/**
 * A small OCI distribution server for tests: serves one image (tag 1, by
 * default a one-file image under demo/app) over plain HTTP on 127.0.0.1
 * behind basic auth, and records what it was asked.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ociImageBlobs, type OciImageSpec } from "./oci.ts";
import { writeTar } from "./tar.ts";

/** A running test registry. */
export interface TestRegistry {
  server: Server;
  port: number;
  /** "<METHOD> <url> auth|anon" per request */
  seen: string[];
  close(): Promise<void>;
}

/** What the test registry serves. */
export interface TestRegistryOptions {
  /** user:password clients must present */
  auth: string;
  /** repository paths that serve the image as tag 1; default ["demo/app"] */
  repositories?: string[];
  /** the image's layers and config; default one file, hello.txt */
  image?: Pick<OciImageSpec, "layers" | "config">;
}

/** Starts a registry serving its image as <repository>:1 to clients presenting user:password. */
export function startTestRegistry(opts: TestRegistryOptions): Promise<TestRegistry> {
  const content = opts.image ?? { layers: [writeTar([{ name: "hello.txt", type: "file", data: Buffer.from("hi from the registry\n") }])], config: { cmd: ["/hello.txt"] } };
  const img = ociImageBlobs({ name: "demo/app:1", ...content });
  const repos = new Set(opts.repositories ?? ["demo/app"]);
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
    const hit = /^\/v2\/(.+)\/(manifests|blobs)\/([^?/]+)/.exec(url);
    const m = hit && repos.has(hit[1]!) ? [hit[0], hit[2], hit[3]] : null;
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
