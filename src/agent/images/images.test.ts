import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { startTestContainerd } from "../containerd/fixture.ts";
import { importImages, listImages } from "./import.ts";
import { ociArchive } from "./oci.ts";
import { BUSYBOX_IMAGE, buildSystemImages, PAUSE_IMAGE } from "./system.ts";
import { writeTar } from "./tar.ts";

test("tar output is read back by tar(1) with links and modes", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-tar-"));
  try {
    const t = writeTar([
      { name: "a", type: "dir" },
      { name: "a/f.txt", type: "file", data: Buffer.from("hello"), mode: 0o600 },
      { name: "a/l", type: "symlink", linkname: "f.txt" },
      { name: "x/".repeat(60) + "deep", type: "file", data: Buffer.alloc(1000, 1) },
    ]);
    writeFileSync(join(dir, "t.tar"), t);
    const listing = execFileSync("tar", ["-tvf", join(dir, "t.tar")], { encoding: "utf8" });
    assert.match(listing, /-rw------- .* a\/f\.txt/);
    assert.match(listing, /a\/l -> f\.txt/);
    assert.ok(listing.includes("x/".repeat(60) + "deep"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("buildSystemImages is idempotent and the archive imports into containerd (plain and gzip)", async () => {
  const c = await startTestContainerd({ pauseImage: PAUSE_IMAGE });
  try {
    const imagesDir = join(c.dataDir, "agent", "images");
    const file = buildSystemImages(imagesDir);
    const mtime = statSync(file).mtimeMs;
    assert.equal(buildSystemImages(imagesDir), file);
    assert.equal(statSync(file).mtimeMs, mtime, "an identical archive must not be rewritten");
    // a second, gzip-compressed archive with another image name
    const extra = ociArchive([{ name: "docker.io/k3s-ts/extra:1", layers: [writeTar([{ name: "hello", type: "file", data: Buffer.from("hi") }])], config: { cmd: ["/hello"] } }]);
    writeFileSync(join(imagesDir, "extra.tar.gz"), gzipSync(extra));
    const zst = ociArchive([{ name: "docker.io/k3s-ts/extra:2", layers: [writeTar([{ name: "hello2", type: "file", data: Buffer.from("hi") }])], config: { cmd: ["/hello2"] } }]);
    writeFileSync(join(imagesDir, "extra2.tar"), zst);
    execFileSync("zstd", ["-q", "--rm", join(imagesDir, "extra2.tar")]);
    writeFileSync(join(imagesDir, "notes.txt"), "not an image");
    const results = await importImages({ socket: c.socket, dir: imagesDir });
    assert.deepEqual(results.map((r) => r.file.slice(imagesDir.length + 1)), ["extra.tar.gz", "extra2.tar.zst", "k3s-ts-system-images.tar"]);
    const images = await listImages(c.socket);
    for (const want of [PAUSE_IMAGE, BUSYBOX_IMAGE, "docker.io/k3s-ts/extra:1", "docker.io/k3s-ts/extra:2"]) {
      assert.ok(images.includes(want), `${want} not in ${images.join(", ")}`);
    }
    // the image content is unpacked and usable: run busybox with ctr
    const out = execFileSync(
      "ctr",
      ["-a", c.socket, "-n", "k8s.io", "run", "--rm", "--runtime", "io.containerd.runc.v2", BUSYBOX_IMAGE, "k3sts-img-test", "sh", "-c", "echo ok-$((6*7))"],
      { encoding: "utf8", timeout: 30_000 },
    );
    assert.equal(out.trim(), "ok-42");
    assert.ok(readFileSync(file).length > 1_000_000);
  } finally {
    await c.cleanup();
  }
});
