// Checks RuntimeClass admission against the real REST core (overhead and
// scheduling copied onto the pod, unknown class and conflicts refused in
// upstream's words) and the toleration merge it uses on its own.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { REFS, type PodSpec } from "./common.ts";
import type { RuntimeClass } from "./runtimeclass.ts";
import { mergeTolerations } from "./tolerationmerge.ts";
import { refusal, startPluginServer, testPod, type PluginTestEnv } from "./testsupport.ts";

const runtimeClass = (name: string, more: Partial<RuntimeClass> = {}): RuntimeClass => ({ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name }, handler: name, ...more });

describe("RuntimeClass admission", () => {
  let env: PluginTestEnv;
  before(async () => {
    env = await startPluginServer({ disable: ["PodSecurity"] });
    await env.admin.create(REFS.runtimeclasses, undefined, runtimeClass("kata", {
      overhead: { podFixed: { cpu: "250m", memory: "120Mi" } },
      scheduling: { nodeSelector: { sandbox: "kata" }, tolerations: [{ key: "sandbox", operator: "Exists", effect: "NoSchedule" }] },
    }));
    await env.admin.create(REFS.runtimeclasses, undefined, runtimeClass("plain"));
  });
  after(async () => {
    await env.close();
  });

  it("copies the class's overhead, node selector and tolerations onto the pod", async () => {
    const pod = await env.admin.create(REFS.pods, "default", testPod("kata", { runtimeClassName: "kata", nodeSelector: { zone: "a" } }));
    const spec = pod.spec as PodSpec;
    assert.deepEqual(spec.overhead, { cpu: "250m", memory: "120Mi" });
    assert.deepEqual(spec.nodeSelector, { zone: "a", sandbox: "kata" });
    assert.ok(spec.tolerations?.some((t) => t.key === "sandbox" && t.effect === "NoSchedule"));
    const plain = (await env.admin.create(REFS.pods, "default", testPod("plain", { runtimeClassName: "plain" }))).spec as PodSpec;
    assert.equal(plain.overhead, undefined);
  });

  it("accepts the class's own overhead given in another spelling", async () => {
    const pod = await env.admin.create(REFS.pods, "default", testPod("same", { runtimeClassName: "kata", overhead: { cpu: "0.25", memory: "120Mi" } }));
    assert.ok((pod.spec as PodSpec).overhead);
  });

  it("refuses an unknown class, a different overhead, overhead without a class and a contradicting selector", async () => {
    const unknown = await refusal(env.admin.create(REFS.pods, "default", testPod("unknown", { runtimeClassName: "gvisor" })));
    assert.equal(unknown.code, 403);
    assert.equal(unknown.message, 'pods "unknown" is forbidden: pod rejected: RuntimeClass "gvisor" not found');
    const overhead = await refusal(env.admin.create(REFS.pods, "default", testPod("over", { runtimeClassName: "kata", overhead: { cpu: "1" } })));
    assert.equal(overhead.message, `pods "over" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead`);
    const classless = await refusal(env.admin.create(REFS.pods, "default", testPod("classless", { overhead: { cpu: "1" } })));
    assert.equal(classless.message, 'pods "classless" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
    const conflict = await refusal(env.admin.create(REFS.pods, "default", testPod("conflict", { runtimeClassName: "kata", nodeSelector: { sandbox: "runc" } })));
    assert.equal(conflict.message, 'pods "conflict" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = kata; pod.spec.nodeSelector[sandbox] = runc');
  });
});

describe("mergeTolerations", () => {
  it("drops tolerations another one covers and keeps the rest in order", () => {
    const exact = { key: "a", operator: "Equal", value: "1", effect: "NoSchedule" };
    const anyA = { key: "a", operator: "Exists" };
    const b = { key: "b", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 };
    assert.deepEqual(mergeTolerations([exact], [anyA]), [anyA]);
    assert.deepEqual(mergeTolerations([anyA, b], [exact, b]), [anyA, b]);
    const longer = { ...b, tolerationSeconds: 60 };
    assert.deepEqual(mergeTolerations([b], [longer]), [longer], "a longer grace covers a shorter one");
    assert.deepEqual(mergeTolerations([{ operator: "Exists" }], [exact, b]), [{ operator: "Exists" }]);
  });
});
