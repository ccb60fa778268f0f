// Checks the built-in chain's order around the webhooks hook: a mutating
// webhook sees the pod after LimitRanger and ServiceAccount changed it, and
// a request the webhooks refuse is never charged to a ResourceQuota (which
// runs last); disabled plugins stay out, upstream's default ones included.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { forbidden } from "../../errors.ts";
import { REFS, type PodSpec } from "./common.ts";
import type { ResourceQuota } from "./quotascopes.ts";
import { startResourceQuotaController, type ResourceQuotaController } from "./quotacontroller.ts";
import { eventually, refusal, startPluginServer, testPod, type PluginTestEnv } from "./testsupport.ts";

describe("built-in admission chain", () => {
  let env: PluginTestEnv;
  let controller: ResourceQuotaController;
  const seen: KubeObject[] = [];
  const webhooks: AdmissionHook = {
    async mutate(attrs: AdmissionAttributes) {
      if (attrs.kind.resource === "pods" && attrs.object) seen.push(structuredClone(attrs.object));
    },
    async validate(attrs: AdmissionAttributes) {
      if (attrs.object?.metadata.labels?.deny === "yes") throw forbidden({ group: "", resource: attrs.kind.resource }, attrs.name, "denied by webhook");
    },
  };
  before(async () => {
    env = await startPluginServer({ webhooks, disable: ["PodSecurity"] });
    controller = startResourceQuotaController(env.admin);
    await env.admin.create(REFS.limitranges, "default", { apiVersion: "v1", kind: "LimitRange", metadata: { name: "l" }, spec: { limits: [{ type: "Container", default: { memory: "64Mi" } }] } });
    await env.admin.create(REFS.resourcequotas, "default", { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q" }, spec: { hard: { pods: "5" } } });
    await eventually(async () => ((await env.admin.get<ResourceQuota>(REFS.resourcequotas, "default", "q")).status?.used?.pods === "0" ? true : undefined));
  });
  after(async () => {
    await controller.stop();
    await env.close();
  });

  it("lets webhooks see what the built-in mutating plugins did", async () => {
    await env.admin.create(REFS.pods, "default", testPod("seen"));
    const spec = seen.at(-1)?.spec as PodSpec;
    assert.equal(spec.serviceAccountName, "default");
    assert.equal(spec.containers?.[0].resources?.limits?.memory, "64Mi");
    assert.ok(spec.volumes?.some((v) => v.name.startsWith("kube-api-access-")));
  });

  it("charges quota only for requests the webhooks let through", async () => {
    const before = (await env.admin.get<ResourceQuota>(REFS.resourcequotas, "default", "q")).status?.used?.pods;
    const denied = testPod("denied");
    denied.metadata.labels = { deny: "yes" };
    assert.equal((await refusal(env.admin.create(REFS.pods, "default", denied))).message, 'pods "denied" is forbidden: denied by webhook');
    assert.equal((await env.admin.get<ResourceQuota>(REFS.resourcequotas, "default", "q")).status?.used?.pods, before);
  });

  it("leaves disabled plugins out", async () => {
    await env.admin.create(REFS.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "locked", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } });
    await env.admin.create(REFS.serviceaccounts, "locked", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
    const pod = await env.admin.create(REFS.pods, "locked", testPod("priv", { containers: [{ name: "c", image: "busybox", securityContext: { privileged: true } }] }));
    assert.equal(pod.metadata.name, "priv", "PodSecurity is disabled here");
  });
});

describe("built-in chain with upstream's default plugins disabled by name", () => {
  let env: PluginTestEnv;
  before(async () => {
    env = await startPluginServer({ disable: ["PodSecurity", "Priority", "TaintNodesByCondition", "StorageObjectInUseProtection"] });
  });
  after(async () => {
    await env.close();
  });

  it("leaves their effects out", async () => {
    const pod = await env.admin.create(REFS.pods, "default", testPod("unresolved", { priorityClassName: "no-such-class" }));
    assert.equal((pod.spec as PodSpec).priority, undefined, "Priority is disabled: nothing resolves the class");
    const node = await env.admin.create<KubeObject>(REFS.nodes, undefined, { apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
    assert.equal((node.spec as { taints?: unknown[] } | undefined)?.taints, undefined);
    const spec = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } };
    const pvc = await env.admin.create<KubeObject>(REFS.persistentvolumeclaims, "default", { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "c" }, spec });
    assert.equal(pvc.metadata.finalizers, undefined);
  });
});
