/**
 * registries.yaml end to end: a mirror endpoint with basic auth, served by a
 * small OCI distribution server in this test, is used by containerd for a
 * registry name that does not resolve, with the credentials from configs.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ociImageBlobs, writeTar } from "../images/mod.ts";
import { createCriClient } from "../../kubelet/cri/mod.ts";
import { freePort } from "./fixture.ts";
import { startContainerd } from "./supervise.ts";

function registry(auth: string): Promise<{ server: Server; port: number; seen: string[] }> {
  const img = ociImageBlobs({ name: "demo/app:1", layers: [writeTar([{ name: "hello.txt", type: "file", data: Buffer.from("hi from the registry\n") }])], config: { cmd: ["/hello.txt"] } });
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ? "auth" : "anon"}`);
    if (req.headers.authorization !== `Basic ${Buffer.from(auth).toString("base64")}`) {
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
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port, seen })));
}

test("a mirror with basic auth from registries.yaml serves a pull for a registry name that does not resolve", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-reg-"));
  const reg = await registry("puller:s3cret");
  const endpoint = `127.0.0.1:${reg.port}`;
  writeFileSync(
    join(dir, "registries.yaml"),
    `mirrors:\n  registry.k3sts.invalid:\n    endpoint:\n      - "http://${endpoint}"\nconfigs:\n  "${endpoint}":\n    auth:\n      username: puller\n      password: s3cret\n`,
  );
  const ctd = await startContainerd({
    dataDir: join(dir, "data"),
    pauseImage: "docker.io/k3s-ts/pause:3.10",
    socket: join(dir, "run", "containerd.sock"),
    streamPort: await freePort(),
    privateRegistry: join(dir, "registries.yaml"),
    log: () => {},
  });
  const cri = createCriClient(ctd.socket);
  try {
    const ref = await cri.pullImage("registry.k3sts.invalid/demo/app:1");
    assert.match(ref, /^sha256:/);
    const img = await cri.imageStatus("registry.k3sts.invalid/demo/app:1");
    assert.ok(img?.repo_tags.includes("registry.k3sts.invalid/demo/app:1"));
    assert.ok(reg.seen.some((l) => /^GET \/v2\/demo\/app\/manifests\/1(\?ns=registry\.k3sts\.invalid)? auth$/.test(l) || /^HEAD \/v2\/demo\/app\/manifests\/1(\?ns=registry\.k3sts\.invalid)? auth$/.test(l)), reg.seen.join("\n"));
    // a miss on the mirror falls through to the upstream name, as containerd does
    await assert.rejects(cri.pullImage("registry.k3sts.invalid/demo/missing:1"), /demo\/missing:1/);
    assert.ok(reg.seen.some((l) => l.includes("/v2/demo/missing/manifests/1") && l.endsWith("auth")), "the mirror was asked first");
  } finally {
    cri.close();
    await ctd.stop();
    reg.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
