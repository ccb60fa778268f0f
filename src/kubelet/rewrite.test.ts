/**
 * registries.yaml rewrites end to end against a real containerd 1.6: a
 * registry name that does not resolve has a mirror endpoint (a local test
 * registry behind basic auth) with a rewrite. A pod naming the original
 * image runs with the image pulled from the rewritten repository (the
 * registry's log shows the rewritten path, with the credentials from
 * configs), and the runtime knows the image under the original name only.
 * An image the rewrite does not match pulls as before through containerd's
 * mirror; one whose rewritten name is missing falls back to that pull; an
 * invalid pattern is logged by name and skipped; when everything fails the
 * Failed event carries containerd's error of the last attempt.
 */
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { busyboxLayer, writeTar } from "../agent/images/mod.ts";
import { startTestRegistry, type TestRegistry } from "../agent/images/testregistry.ts";
import { writeCertsDir, type Registries } from "../agent/containerd/registries.ts";
import { containerdPaths } from "../agent/containerd/paths.ts";
import { R } from "../client/mod.ts";
import { eventsFor, startKubeletTestEnv, waitFor, waitForPod, type KubeletTestEnv } from "./testenv.ts";
import type { KPod } from "./types.ts";

const REGISTRY = "registry.k3sts.invalid";
let env: KubeletTestEnv;
let reg: TestRegistry;
const logs: string[] = [];

before(async () => {
  reg = await startTestRegistry({
    auth: "puller:s3cret",
    // only these paths exist: demo/app is served only under its rewritten path
    repositories: ["mirror/demo/app", "plain/app", "demo/fallback"],
    image: { layers: [busyboxLayer(), writeTar([{ name: "marker.txt", type: "file", data: Buffer.from("served by the test registry\n") }])], config: { cmd: ["sh"] } },
  });
  const endpoint = `127.0.0.1:${reg.port}`;
  const regs: Registries = {
    mirrors: { [REGISTRY]: { endpoint: [`http://${endpoint}`], rewrite: { "(unclosed": "x", "^demo/(.*)": "mirror/demo/$1" } } },
    configs: { [endpoint]: { auth: { username: "puller", password: "s3cret" } } },
  };
  env = await startKubeletTestEnv({ registries: regs, log: (m) => logs.push(m) });
  // as the agent does at start: containerd reads certs.d on every pull
  writeCertsDir(containerdPaths(env.rt.containerd.dataDir).certsDir, regs);
  // plain pulls through containerd's mirror get no config.toml credentials here: the pods bring them
  const cfg = { auths: { [REGISTRY]: { auth: Buffer.from("puller:s3cret").toString("base64") } } };
  await env.client.create(R.secrets, "default", { apiVersion: "v1", kind: "Secret", metadata: { name: "regcred" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": Buffer.from(JSON.stringify(cfg)).toString("base64") } });
});

after(async () => {
  await env?.cleanup();
  await reg?.close();
});

function pod(name: string, image: string, secret: boolean): KPod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: {
      nodeName: env.nodeName,
      terminationGracePeriodSeconds: 0,
      ...(secret ? { imagePullSecrets: [{ name: "regcred" }] } : {}),
      containers: [{ name: "c", image, command: ["sh", "-c", "cat /marker.txt; sleep 3600"] }],
    },
  };
}

async function runs(name: string): Promise<void> {
  await waitForPod(env, name, "Running", (p) => p.status?.phase === "Running", 60_000);
  await waitFor(`log of ${name}`, async () => {
    let out = "";
    for await (const chunk of env.kubelet.podLogStream({ namespace: "default", pod: name })) out += chunk.toString();
    return out.includes("served by the test registry") ? true : undefined;
  });
}

const asked = (path: string): string[] => reg.seen.filter((l) => / \/v2\/.*\/manifests\//.test(l) && l.includes(path));

test("a pod naming the original image runs with the image pulled from the rewritten repository", async () => {
  const image = `${REGISTRY}/demo/app:1`;
  await env.client.create(R.pods, "default", pod("rewritten", image, false));
  await runs("rewritten");
  assert.ok(asked("/v2/mirror/demo/app/manifests/1").some((l) => l.endsWith(" auth")), `rewritten path asked with credentials:\n${reg.seen.join("\n")}`);
  assert.deepEqual(asked("/v2/demo/app/"), [], "the original path is never asked");
  const img = await env.rt.cri.imageStatus(image);
  assert.ok(img, "the runtime knows the original name");
  assert.deepEqual(img.repo_tags, [image], "and only that name");
  assert.equal(await env.rt.cri.imageStatus(`127.0.0.1:${reg.port}/mirror/demo/app:1`), null);
  const events = await eventsFor(env, "rewritten");
  assert.ok(events.some((e) => e.reason === "Pulling" && e.message === `Pulling image "${image}"`));
  assert.ok(events.some((e) => e.reason === "Pulled" && e.message.startsWith(`Successfully pulled image "${image}"`)));
  assert.ok(logs.some((l) => l.includes('ignoring rewrite "(unclosed" of mirror registry.k3sts.invalid: invalid regexp')), logs.join("\n"));
});

test("an image the rewrite does not match pulls as before, through containerd's mirror", async () => {
  await env.client.create(R.pods, "default", pod("plain", `${REGISTRY}/plain/app:1`, true));
  await runs("plain");
  assert.ok(asked(`/v2/plain/app/manifests/1?ns=${REGISTRY}`).length > 0, reg.seen.join("\n"));
  assert.deepEqual(asked("/v2/mirror/plain/"), []);
});

test("when the rewritten name is missing on every endpoint, the normal pull runs", async () => {
  await env.client.create(R.pods, "default", pod("fallback", `${REGISTRY}/demo/fallback:1`, true));
  await runs("fallback");
  assert.ok(asked("/v2/mirror/demo/fallback/manifests/1").length > 0, "the rewritten name was tried first");
  assert.ok(asked(`/v2/demo/fallback/manifests/1?ns=${REGISTRY}`).length > 0, reg.seen.join("\n"));
  assert.ok(logs.some((l) => l.startsWith(`rewritten pulls of ${REGISTRY}/demo/fallback:1 failed`)), logs.join("\n"));
});

test("when every endpoint and the registry itself fail, the pod reports ErrImagePull with the real error", async () => {
  const image = `${REGISTRY}/demo/missing:1`;
  await env.client.create(R.pods, "default", pod("missing", image, true));
  const failed = await waitFor("Failed event", async () => (await eventsFor(env, "missing")).find((e) => e.reason === "Failed" && e.message.startsWith(`Failed to pull image "${image}"`)));
  assert.match(failed.message, /: failed to pull and unpack image "registry\.k3sts\.invalid\/demo\/missing:1": failed to resolve reference/, "containerd's own error of the last attempt");
  await waitForPod(env, "missing", "ErrImagePull or ImagePullBackOff", (p) => /ErrImagePull|ImagePullBackOff/.test(p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ""));
  assert.ok(asked("/v2/mirror/demo/missing/manifests/1").length > 0, "the rewritten name was tried");
  assert.ok(asked(`/v2/demo/missing/manifests/1?ns=${REGISTRY}`).length > 0, "then containerd's own pull");
  await env.client.delete(R.pods, "default", "missing", { gracePeriodSeconds: 0 });
});
