/**
 * containerd's Images API against a real containerd 1.6: a second name made
 * for an imported image points at the same target, the CRI plugin picks it
 * up (ImageStatus finds it under the new name with the same id), an existing
 * name is repointed, and deleting a name keeps the image under its others.
 */
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from "../../agent/images/mod.ts";
import { startTestRuntime, type TestRuntime } from "./fixture.ts";
import { ContainerdImages } from "./images-api.ts";

let rt: TestRuntime;
let images: ContainerdImages;
before(async () => {
  rt = await startTestRuntime({ withCni: false });
  images = new ContainerdImages(rt.cri);
});
after(async () => {
  images?.close();
  await rt?.cleanup();
});

async function eventually<T>(what: string, fn: () => Promise<T | null | undefined>): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("a record made through the Images API is an image the CRI plugin knows under the new name", async () => {
  const busybox = await images.get(BUSYBOX_IMAGE);
  assert.ok(busybox?.target, "imported image has a record in k8s.io");
  assert.match(busybox.target.digest, /^sha256:/);
  assert.equal(await images.get("docker.io/k3s-ts/absent:0"), null);

  const alias = "registry.k3sts.invalid/alias/busybox:1";
  const made = await images.put({ name: alias, labels: busybox.labels, target: busybox.target });
  assert.equal(made.target?.digest, busybox.target.digest);
  const original = await rt.cri.imageStatus(BUSYBOX_IMAGE);
  const seen = await eventually("ImageStatus of the alias", () => rt.cri.imageStatus(alias));
  assert.equal(seen.id, original?.id, "same image id under both names");
  assert.ok(seen.repo_tags.includes(alias));

  // repointing an existing name (Create answers ALREADY_EXISTS, then Update)
  const pause = await images.get(PAUSE_IMAGE);
  await images.put({ name: alias, labels: pause!.labels, target: pause!.target });
  assert.equal((await images.get(alias))?.target?.digest, pause!.target!.digest);
  const pauseId = (await rt.cri.imageStatus(PAUSE_IMAGE))!.id;
  await eventually("alias repointed", async () => ((await rt.cri.imageStatus(alias))?.id === pauseId ? true : undefined));

  await images.delete(alias);
  // a client of its own connection sees the same records
  const own = new ContainerdImages(rt.containerd.socket);
  try {
    assert.equal(await own.get(alias), null);
    await own.delete(alias);
  } finally {
    own.close();
  }
  await eventually("alias gone", async () => ((await rt.cri.imageStatus(alias)) === null ? true : undefined));
  assert.ok(await rt.cri.imageStatus(PAUSE_IMAGE), "the image stays under its own name");
});
