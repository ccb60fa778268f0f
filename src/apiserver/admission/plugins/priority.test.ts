// Checks Priority admission against the real REST core: classes resolve to
// spec.priority and spec.preemptionPolicy, an unknown class and a
// contradicting priority are 403 in upstream's words, updates keep the
// resolved values, and only one PriorityClass may be the global default.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import { REFS, type PodSpec } from "./common.ts";
import { globalDefault, type PriorityClass } from "./priority.ts";
import { refusal, startPluginServer, testPod, type PluginTestEnv } from "./testsupport.ts";

const priorityClass = (name: string, value: number, more: Partial<PriorityClass> = {}): PriorityClass => ({
  apiVersion: "scheduling.k8s.io/v1",
  kind: "PriorityClass",
  metadata: { name },
  value,
  ...more,
});

describe("Priority admission", () => {
  let env: PluginTestEnv;
  const create = async (pod: KubeObject): Promise<PodSpec> => (await env.admin.create(REFS.pods, "default", pod)).spec as PodSpec;
  before(async () => {
    env = await startPluginServer({ disable: ["PodSecurity"] });
    await env.admin.create(REFS.priorityclasses, undefined, priorityClass("system-cluster-critical", 2000000000));
    await env.admin.create(REFS.priorityclasses, undefined, priorityClass("low-never", 10, { preemptionPolicy: "Never" }));
  });
  after(async () => {
    await env.close();
  });

  it("resolves a named class to its priority and preemption policy", async () => {
    const critical = await create(testPod("critical", { priorityClassName: "system-cluster-critical" }));
    assert.equal(critical.priority, 2000000000);
    assert.equal(critical.preemptionPolicy, "PreemptLowerPriority");
    const never = await create(testPod("never", { priorityClassName: "low-never" }));
    assert.equal(never.priority, 10);
    assert.equal(never.preemptionPolicy, "Never");
  });

  it("gives priority 0 and PreemptLowerPriority when no class is named and none is the default", async () => {
    const plain = await create(testPod("plain"));
    assert.equal(plain.priority, 0);
    assert.equal(plain.preemptionPolicy, "PreemptLowerPriority");
    assert.equal(plain.priorityClassName, undefined);
  });

  it("refuses an unknown class and a priority that contradicts the class", async () => {
    const unknown = await refusal(create(testPod("unknown", { priorityClassName: "nope" })));
    assert.equal(unknown.code, 403);
    assert.equal(unknown.message, 'pods "unknown" is forbidden: no PriorityClass with name nope was found');
    const wrong = await refusal(create(testPod("wrong", { priorityClassName: "low-never", priority: 1000 })));
    assert.equal(wrong.message, 'pods "wrong" is forbidden: the integer value of priority (1000) must not be provided in pod spec; priority admission controller computed 10 from the given PriorityClass name');
    const policy = await refusal(create(testPod("policy", { priorityClassName: "low-never", preemptionPolicy: "PreemptLowerPriority" })));
    assert.match(policy.message, /the string value of PreemptionPolicy \(PreemptLowerPriority\) must not be provided in pod spec; priority admission controller computed Never/);
    const same = await create(testPod("same", { priorityClassName: "low-never", priority: 10 }));
    assert.equal(same.priority, 10, "the class's own value may be given");
  });

  it("keeps the resolved priority when an update leaves it out", async () => {
    const pod = await env.admin.get<KubeObject>(REFS.pods, "default", "never");
    const spec = pod.spec as PodSpec;
    delete spec.priority;
    delete spec.preemptionPolicy;
    pod.metadata.labels = { touched: "yes" };
    const updated = await env.admin.update(REFS.pods, "default", pod);
    assert.equal((updated.spec as PodSpec).priority, 10);
    assert.equal((updated.spec as PodSpec).preemptionPolicy, "Never");
  });

  it("applies the global default class and allows only one", async () => {
    await env.admin.create(REFS.priorityclasses, undefined, priorityClass("everyday", 500, { globalDefault: true }));
    const second = await refusal(env.admin.create(REFS.priorityclasses, undefined, priorityClass("another", 600, { globalDefault: true })));
    assert.equal(second.code, 403);
    assert.equal(second.message, 'priorityclasses.scheduling.k8s.io "another" is forbidden: PriorityClass everyday is already marked as default. Only one default can exist');
    const marked = await env.admin.get<PriorityClass>(REFS.priorityclasses, undefined, "low-never");
    const remark = await refusal(env.admin.update(REFS.priorityclasses, undefined, { ...marked, globalDefault: true }));
    assert.match(remark.message, /PriorityClass everyday is already marked as default/);
    const itself = await env.admin.get<PriorityClass>(REFS.priorityclasses, undefined, "everyday");
    await env.admin.update(REFS.priorityclasses, undefined, { ...itself, description: "still the default" });
    const defaulted = await create(testPod("defaulted"));
    assert.equal(defaulted.priorityClassName, "everyday");
    assert.equal(defaulted.priority, 500);
  });
});

describe("globalDefault", () => {
  it("picks the lowest value when several classes claim it", () => {
    const pick = globalDefault([priorityClass("a", 7, { globalDefault: true }), priorityClass("b", 3, { globalDefault: true }), priorityClass("c", 1)]);
    assert.equal(pick?.metadata.name, "b");
    assert.equal(globalDefault([priorityClass("c", 1)]), undefined);
  });
});
