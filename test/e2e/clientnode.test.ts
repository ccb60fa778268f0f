/**
 * e2e: @kubernetes/client-node 1.4 with the admin kubeconfig against
 * `k3s server --disable-agent`: typed CoreV1Api/AppsV1Api calls,
 * KubernetesObjectApi, an informer, and a watch resumed from a
 * resourceVersion.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Deployment,
} from "@kubernetes/client-node";
import { eventually, startServer, type RunningServer } from "./harness.ts";

const ns = "cn";

/** The HTTP status of a failed client-node call. */
async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiException) return err.code;
    throw err;
  }
  return 200;
}

const deploymentSpec = (name: string, image: string): V1Deployment => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: ns, labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image }] } },
  },
});

describe("@kubernetes/client-node 1.4 against k3s server (--disable-agent)", () => {
  let server: RunningServer;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  before(async () => {
    server = await startServer({ args: ["--disable-agent"] });
    kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: ns } } });
  });
  after(async () => {
    await server?.stop();
  });

  it("creates, reads, lists, patches, replaces and deletes a ConfigMap with CoreV1Api", async () => {
    const made = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "typed", labels: { suite: "cn" } }, data: { a: "1" } } });
    assert.match(made.metadata?.uid ?? "", /^[0-9a-f-]{36}$/);
    assert.equal((await core.readNamespacedConfigMap({ namespace: ns, name: "typed" })).data?.a, "1");
    const listed = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: "suite=cn" });
    assert.deepEqual(listed.items.map((c) => c.metadata?.name), ["typed"]);
    assert.ok(listed.metadata?.resourceVersion, "the list carries a resourceVersion");
    // client-node's default patch type is JSON Patch
    const patched = await core.patchNamespacedConfigMap({ namespace: ns, name: "typed", body: [{ op: "add", path: "/data/b", value: "2" }] });
    assert.deepEqual(patched.data, { a: "1", b: "2" });
    const merged = await core.patchNamespacedConfigMap(
      { namespace: ns, name: "typed", body: { data: { c: "3", a: null } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.data, { b: "2", c: "3" });
    const applied = await core.patchNamespacedConfigMap(
      { namespace: ns, name: "typed", fieldManager: "cn-test", force: true, body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "typed" }, data: { d: "4" } } },
      setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
    );
    assert.deepEqual(applied.data, { b: "2", c: "3", d: "4" });
    assert.ok(applied.metadata?.managedFields?.some((f) => f.manager === "cn-test" && f.operation === "Apply"));
    // a replace carrying an old resourceVersion is a 409
    const stale = { ...made, data: { stale: "yes" } };
    assert.equal(await statusOf(core.replaceNamespacedConfigMap({ namespace: ns, name: "typed", body: stale })), 409);
    const fresh = await core.readNamespacedConfigMap({ namespace: ns, name: "typed" });
    const replaced = await core.replaceNamespacedConfigMap({ namespace: ns, name: "typed", body: { ...fresh, data: { only: "this" } } });
    assert.deepEqual(replaced.data, { only: "this" });
    await core.deleteNamespacedConfigMap({ namespace: ns, name: "typed" });
    assert.equal(await statusOf(core.readNamespacedConfigMap({ namespace: ns, name: "typed" })), 404);
    assert.equal(await statusOf(core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "Bad_Name" } } })), 422);
  });

  it("creates a Deployment and scales it through the scale subresource with AppsV1Api", async () => {
    await apps.createNamespacedDeployment({ namespace: ns, body: deploymentSpec("typed-app", "nginx:1.27") });
    const scale = await apps.readNamespacedDeploymentScale({ namespace: ns, name: "typed-app" });
    assert.equal(scale.spec?.replicas, 1);
    // no resourceVersion: the controller's status writes move the deployment's on, and a Scale without one updates unconditionally
    await apps.replaceNamespacedDeploymentScale({ namespace: ns, name: "typed-app", body: { ...scale, metadata: { ...scale.metadata, resourceVersion: undefined }, spec: { replicas: 4 } } });
    const d = await apps.readNamespacedDeployment({ namespace: ns, name: "typed-app" });
    assert.equal(d.spec?.replicas, 4);
    assert.equal(d.spec?.strategy?.type, "RollingUpdate", "defaults applied");
    await apps.deleteNamespacedDeployment({ namespace: ns, name: "typed-app" });
  });

  it("drives any kind through KubernetesObjectApi", async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const cm: KubernetesObject & { data: Record<string, string> } = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "generic", namespace: ns }, data: { k: "v" } };
    await objects.create(cm);
    await objects.create(deploymentSpec("generic-app", "nginx:1.27"));
    const read = await objects.read<V1Deployment>({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "generic-app", namespace: ns } });
    assert.equal(read.spec?.template.spec?.containers[0].image, "nginx:1.27");
    // its patch defaults to strategic merge: the container list merges by name
    const patched = await objects.patch<V1Deployment>({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "generic-app", namespace: ns },
      spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.28" }] } } },
    } as V1Deployment);
    assert.equal(patched.spec?.template.spec?.containers.length, 1);
    assert.equal(patched.spec?.template.spec?.containers[0].image, "nginx:1.28");
    const list = await objects.list<V1ConfigMap>("v1", "ConfigMap", ns);
    assert.ok(list.items.some((c) => c.metadata?.name === "generic"));
    const current = await objects.read<V1ConfigMap>({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "generic", namespace: ns } });
    const replaced = await objects.replace<V1ConfigMap>({ ...current, data: { k: "w" } });
    assert.equal(replaced.data?.k, "w");
    await objects.delete({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "generic", namespace: ns } });
    await objects.delete({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "generic-app", namespace: ns } });
    assert.equal(await statusOf(objects.read({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "generic", namespace: ns } })), 404);
  });

  it("keeps an informer in step with adds, updates and deletes", async () => {
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const informer = makeInformer<V1ConfigMap>(kc, path, () => core.listNamespacedConfigMap({ namespace: ns }));
    const seen: string[] = [];
    informer.on("add", (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on("update", (o) => seen.push(`update ${o.metadata?.name} ${o.data?.v ?? ""}`));
    informer.on("delete", (o) => seen.push(`delete ${o.metadata?.name}`));
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "inf-before" }, data: { v: "0" } } });
    await informer.start();
    try {
      await eventually(() => seen.includes("add inf-before"), 15_000, "the listed object");
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "inf-new" }, data: { v: "1" } } });
      await core.patchNamespacedConfigMap({ namespace: ns, name: "inf-new", body: [{ op: "replace", path: "/data/v", value: "2" }] });
      await core.deleteNamespacedConfigMap({ namespace: ns, name: "inf-before" });
      await eventually(() => seen.includes("add inf-new") && seen.includes("update inf-new 2") && seen.includes("delete inf-before"), 15_000, `watch events (saw ${seen.join(", ")})`);
      const cached = informer.list().map((o) => o.metadata?.name).sort();
      assert.ok(cached.includes("inf-new") && !cached.includes("inf-before"), `the cache (${cached.join(",")})`);
      assert.equal(informer.get("inf-new", ns)?.data?.v, "2");
    } finally {
      await informer.stop();
    }
  });

  it("resumes a watch from a resourceVersion", async () => {
    const made = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "resume" }, data: { v: "0" } } });
    const from = made.metadata?.resourceVersion ?? "";
    // the changes happen before the watch starts: only a watch that resumes from `from` can see them
    await core.patchNamespacedConfigMap({ namespace: ns, name: "resume", body: [{ op: "replace", path: "/data/v", value: "1" }] });
    await core.patchNamespacedConfigMap({ namespace: ns, name: "resume", body: [{ op: "replace", path: "/data/v", value: "2" }] });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "resume-2" } } });
    const events: string[] = [];
    const watch = new Watch(kc);
    const ctl = await watch.watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      { resourceVersion: from, allowWatchBookmarks: true },
      (type, obj: V1ConfigMap) => {
        if (type !== "BOOKMARK") events.push(`${type} ${obj.metadata?.name} ${obj.data?.v ?? ""}`.trim());
      },
      () => undefined,
    );
    try {
      await eventually(() => events.length >= 3, 15_000, `resumed events (saw ${events.join(", ")})`);
      assert.deepEqual(events.slice(0, 3), ["MODIFIED resume 1", "MODIFIED resume 2", "ADDED resume-2"]);
      await core.deleteNamespacedConfigMap({ namespace: ns, name: "resume" });
      await eventually(() => events.includes("DELETED resume 2"), 15_000, "the live DELETED event");
      assert.equal(events.length, 4, `nothing before ${from} replayed: ${events.join(", ")}`);
    } finally {
      ctl.abort();
    }
  });
});
