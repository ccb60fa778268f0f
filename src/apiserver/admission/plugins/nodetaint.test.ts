// Checks TaintNodesByCondition against the real REST core: a new Node gets
// the not-ready NoSchedule taint once, beside the taints it came with, and
// updates are left alone (the node lifecycle controller owns the taint then).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import { REFS } from "./common.ts";
import { startPluginServer, type PluginTestEnv } from "./testsupport.ts";

type Taints = { key: string; effect: string; value?: string }[];
const node = (name: string, taints?: Taints): KubeObject => ({ apiVersion: "v1", kind: "Node", metadata: { name }, spec: taints ? { taints } : {} });
const taintsOf = (n: KubeObject): Taints => ((n.spec as { taints?: Taints }).taints ?? []);

describe("TaintNodesByCondition admission", () => {
  let env: PluginTestEnv;
  before(async () => {
    env = await startPluginServer({ disable: ["PodSecurity"] });
  });
  after(async () => {
    await env.close();
  });

  it("taints a new node not-ready:NoSchedule, once", async () => {
    const plain = await env.admin.create(REFS.nodes, undefined, node("plain"));
    assert.deepEqual(taintsOf(plain), [{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }]);
    const gpu = await env.admin.create(REFS.nodes, undefined, node("gpu", [{ key: "gpu", value: "true", effect: "NoSchedule" }, { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }]));
    assert.equal(taintsOf(gpu).length, 2);
  });

  it("leaves updates alone", async () => {
    const cur = await env.admin.get<KubeObject>(REFS.nodes, undefined, "plain");
    const updated = await env.admin.update(REFS.nodes, undefined, { ...cur, spec: { taints: [] } });
    assert.deepEqual(taintsOf(updated), []);
  });
});
