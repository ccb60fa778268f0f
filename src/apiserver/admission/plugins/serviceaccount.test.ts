// Checks ServiceAccount admission through the REST core: a pod created with
// kubectl runs as "default" and mounts upstream's projected kube-api-access
// volume in every container; automount off (pod or service account) leaves
// it out; a missing service account is refused with upstream's message, and
// a new namespace's "default" account is waited for.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import { kubectl } from "../../testenv.ts";
import { REFS, type PodSpec } from "./common.ts";
import { refusal, startPluginServer, testPod, type PluginTestEnv } from "./testsupport.ts";

describe("ServiceAccount admission", () => {
  let env: PluginTestEnv;
  before(async () => {
    env = await startPluginServer({ defaultServiceAccountWaitMs: 1500 });
  });
  after(async () => {
    await env.close();
  });

  it("defaults the service account and mounts the token volume in every container", async () => {
    const manifest = JSON.stringify({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web" },
      spec: { initContainers: [{ name: "init", image: "busybox" }], containers: [{ name: "a", image: "nginx" }, { name: "b", image: "nginx", volumeMounts: [{ name: "own", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }] }], volumes: [{ name: "own", emptyDir: {} }] },
    });
    const r = await kubectl(env.ts, ["create", "-f", "-"], manifest);
    assert.equal(r.code, 0, r.stderr);
    const pod = await env.admin.get(REFS.pods, "default", "web");
    const spec = pod.spec as PodSpec;
    assert.equal(spec.serviceAccountName, "default");
    const vol = spec.volumes?.find((v) => v.name.startsWith("kube-api-access-"));
    assert.ok(vol, "token volume added");
    assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(vol.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
      ],
    });
    const mount = { name: vol.name, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" };
    assert.deepEqual(spec.initContainers?.[0].volumeMounts, [mount]);
    assert.deepEqual(spec.containers?.[0].volumeMounts, [mount]);
    assert.deepEqual(spec.containers?.[1].volumeMounts, [{ name: "own", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }], "an existing mount at the path wins");
  });

  it("leaves the volume out when the pod or its service account turns automount off", async () => {
    const a = await env.admin.create(REFS.pods, "default", testPod("no-mount", { automountServiceAccountToken: false }));
    assert.equal((a.spec as PodSpec).volumes, undefined);
    assert.equal((a.spec as PodSpec).containers?.[0].volumeMounts, undefined);
    await env.admin.create(REFS.serviceaccounts, "default", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "quiet" }, automountServiceAccountToken: false, imagePullSecrets: [{ name: "pull" }] });
    const b = await env.admin.create(REFS.pods, "default", testPod("quiet-pod", { serviceAccountName: "quiet" }));
    assert.equal((b.spec as PodSpec).volumes, undefined);
    assert.deepEqual((b.spec as PodSpec).imagePullSecrets, [{ name: "pull" }], "the service account's pull secrets are copied");
    const c = await env.admin.create(REFS.pods, "default", testPod("loud-pod", { serviceAccountName: "quiet", automountServiceAccountToken: true }));
    assert.equal((c.spec as PodSpec).volumes?.length, 1, "the pod's own setting wins");
  });

  it("refuses a pod whose service account does not exist", async () => {
    const r = await kubectl(env.ts, ["run", "ghost", "--image=busybox", "--overrides", JSON.stringify({ spec: { serviceAccountName: "x" } })]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pods "ghost" is forbidden: error looking up service account default\/x: serviceaccount "x" not found/);
    const s = await refusal(env.admin.create(REFS.pods, "default", testPod("ghost2", { serviceAccountName: "x" })));
    assert.equal(s.code, 403);
  });

  it("waits for the default service account of a new namespace", async () => {
    await env.admin.create(REFS.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "fresh" } });
    const started = Date.now();
    const s = await refusal(env.admin.create(REFS.pods, "fresh", testPod("early")));
    assert.equal(s.message, 'pods "early" is forbidden: error looking up service account fresh/default: serviceaccount "default" not found');
    assert.ok(Date.now() - started >= 1400, "waited for the controller");
    const pending = env.admin.create<KubeObject>(REFS.pods, "fresh", testPod("later"));
    setTimeout(() => void env.admin.create(REFS.serviceaccounts, "fresh", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } }), 300);
    const pod = await pending;
    assert.equal((pod.spec as PodSpec).serviceAccountName, "default");
  });

  it("keeps mirror pods free of service accounts", async () => {
    const mirror = testPod("static-n1", { nodeName: "n1" });
    mirror.metadata.annotations = { "kubernetes.io/config.mirror": "hash" };
    const pod = await env.admin.create(REFS.pods, "default", mirror);
    assert.equal((pod.spec as PodSpec).serviceAccountName, undefined);
    const bad = testPod("static-sa", { nodeName: "n1", serviceAccountName: "default" });
    bad.metadata.annotations = { "kubernetes.io/config.mirror": "hash" };
    assert.equal((await refusal(env.admin.create(REFS.pods, "default", bad))).message, 'pods "static-sa" is forbidden: a mirror pod may not reference service accounts');
  });
});
