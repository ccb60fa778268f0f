/**
 * registries.yaml end to end: a mirror endpoint with basic auth, served by a
 * small OCI distribution server in this test, is used by containerd for a
 * registry name that does not resolve, with the credentials from configs.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startTestRegistry } from "../images/testregistry.ts";
import { createCriClient } from "../../kubelet/cri/mod.ts";
import { freePort } from "./fixture.ts";
import { startContainerd } from "./supervise.ts";

test("a mirror with basic auth from registries.yaml serves a pull for a registry name that does not resolve", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-reg-"));
  const reg = await startTestRegistry({ auth: "puller:s3cret" });
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
    await reg.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
