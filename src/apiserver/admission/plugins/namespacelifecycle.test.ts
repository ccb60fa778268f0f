// Checks NamespaceLifecycle as users meet it: the immortal namespaces cannot
// be deleted (the plugin), and creating in a missing or terminating
// namespace is refused in upstream's words (the REST core does that part).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import { REFS } from "./common.ts";
import { refusal, startPluginServer, type PluginTestEnv } from "./testsupport.ts";

const namespace = (name: string): KubeObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name }, spec: { finalizers: ["kubernetes"] } });
const configMap = (name: string): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { a: "b" } });

describe("NamespaceLifecycle", () => {
  let env: PluginTestEnv;
  before(async () => {
    env = await startPluginServer({ disable: ["PodSecurity"] });
    await env.admin.create(REFS.namespaces, undefined, namespace("kube-system"));
    await env.admin.create(REFS.namespaces, undefined, namespace("doomed"));
  });
  after(async () => {
    await env.close();
  });

  it("refuses deleting default and kube-system but lets other namespaces go", async () => {
    const r = await refusal(env.admin.delete(REFS.namespaces, undefined, "default"));
    assert.equal(r.code, 403);
    assert.equal(r.message, 'namespaces "default" is forbidden: this namespace may not be deleted');
    assert.equal((await refusal(env.admin.delete(REFS.namespaces, undefined, "kube-system"))).code, 403);
    await env.admin.delete(REFS.namespaces, undefined, "doomed");
    const ns = await env.admin.get<KubeObject>(REFS.namespaces, undefined, "doomed");
    assert.ok(ns.metadata.deletionTimestamp, "doomed is terminating");
  });

  it("refuses creating in a missing or terminating namespace", async () => {
    const missing = await refusal(env.admin.create(REFS.configmaps, "nowhere", configMap("c")));
    assert.equal(missing.code, 404);
    assert.equal(missing.message, 'namespaces "nowhere" not found');
    const terminating = await refusal(env.admin.create(REFS.configmaps, "doomed", configMap("c")));
    assert.equal(terminating.code, 403);
    assert.equal(terminating.message, 'configmaps "c" is forbidden: unable to create new content in namespace doomed because it is being terminated');
  });
});
