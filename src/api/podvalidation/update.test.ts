/** Pod updates: images, activeDeadlineSeconds, tolerations, scheduling gates, gated node selectors, ephemeral containers. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateEphemeralContainersUpdate } from "./ephemeral.ts";
import { validatePodSpecUpdate } from "./update.ts";
import { lines } from "./testutil.ts";

const old = {
  containers: [{ name: "a", image: "x:1" }], initContainers: [{ name: "i", image: "y:1" }], activeDeadlineSeconds: 100,
  tolerations: [{ key: "k", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }], schedulingGates: [{ name: "g1" }, { name: "g2" }],
  nodeSelector: { disk: "ssd" }, terminationGracePeriodSeconds: 30,
};
const FORBIDDEN = "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

test("the fields an update may change", () => {
  const now = structuredClone(old);
  now.containers[0].image = "x:2";
  now.initContainers[0].image = "y:2";
  now.activeDeadlineSeconds = 50;
  now.tolerations[0].tolerationSeconds = 10;
  now.tolerations.push({ key: "new", operator: "Exists", effect: "NoExecute", tolerationSeconds: 1 });
  now.schedulingGates = [{ name: "g2" }];
  Object.assign(now.nodeSelector, { zone: "a" });
  assert.deepEqual(validatePodSpecUpdate(now, old), []);
});

test("refused updates, worded as upstream", () => {
  assert.deepEqual(lines(validatePodSpecUpdate({ ...old, containers: [...old.containers, { name: "b", image: "z" }] }, old)), ["spec.containers: Forbidden: pod updates may not add or remove containers"]);
  assert.deepEqual(lines(validatePodSpecUpdate({ ...old, containers: [{ name: "a", image: "" }] }, old)), ["spec.containers[0].image: Required value"]);
  assert.deepEqual(lines(validatePodSpecUpdate({ ...old, activeDeadlineSeconds: 200 }, old)), ["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"]);
  assert.deepEqual(lines(validatePodSpecUpdate({ ...old, activeDeadlineSeconds: undefined }, old)), ["spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"]);
  assert.deepEqual(lines(validatePodSpecUpdate({ ...old, tolerations: [] }, old)), ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]);
  assert.deepEqual(lines(validatePodSpecUpdate({ ...old, schedulingGates: [{ name: "g1" }, { name: "g3" }] }, old)), ["spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'g3'"]);
  assert.deepEqual(lines(validatePodSpecUpdate({ ...old, nodeSelector: { disk: "hdd" } }, old)), [
    'spec.nodeSelector: Invalid value: {"disk":"hdd"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)', FORBIDDEN,
  ]);
  assert.deepEqual(lines(validatePodSpecUpdate({ ...old, terminationGracePeriodSeconds: 5 }, old)), [FORBIDDEN]);
  assert.deepEqual(validatePodSpecUpdate({ ...old, terminationGracePeriodSeconds: 1 }, { ...old, terminationGracePeriodSeconds: -1 }), []);
});

test("ungated pods keep their node selector", () => {
  const ungated = { ...old, schedulingGates: undefined };
  assert.deepEqual(lines(validatePodSpecUpdate({ ...ungated, nodeSelector: { disk: "ssd", zone: "a" } }, ungated)), [FORBIDDEN]);
});

test("ephemeral containers may be added, never changed or removed", () => {
  const before = { ephemeralContainers: [{ name: "debug", image: "busybox", stdin: true }] };
  assert.deepEqual(validateEphemeralContainersUpdate({ ephemeralContainers: [{ stdin: true, image: "busybox", name: "debug" }, { name: "d2", image: "x" }] }, before), []);
  assert.deepEqual(lines(validateEphemeralContainersUpdate({ ephemeralContainers: [{ name: "debug", image: "alpine" }] }, before)), [
    'spec.ephemeralContainers: Forbidden: existing ephemeral containers "debug" may not be changed\n',
  ]);
  assert.deepEqual(lines(validateEphemeralContainersUpdate({}, before)), ['spec.ephemeralContainers: Forbidden: existing ephemeral containers "debug" may not be removed\n']);
  assert.deepEqual(lines(validateEphemeralContainersUpdate(before, {}, { "kubernetes.io/config.mirror": "x" })), [": Forbidden: static pods do not support ephemeral containers"]);
});

test("a gated pod's required node affinity may only gain requirements", () => {
  const term = (values: string[]) => ({ matchExpressions: [{ key: "zone", operator: "In", values }] });
  const aff = (...terms: unknown[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
  const gated = { ...old, affinity: aff(term(["a"])) };
  const added = { ...gated, affinity: aff({ matchExpressions: [...term(["a"]).matchExpressions, { key: "disk", operator: "Exists" }] }) };
  assert.deepEqual(validatePodSpecUpdate(added, gated), []);
  const p = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
  assert.deepEqual(lines(validatePodSpecUpdate({ ...gated, affinity: aff(term(["b"])) }, gated)), [
    `${p}[0]: Invalid value: {"matchExpressions":[{"key":"zone","operator":"In","values":["b"]}]}: only additions are allowed (no mutations or deletions)`, FORBIDDEN,
  ]);
  assert.deepEqual(lines(validatePodSpecUpdate({ ...gated, affinity: aff(term(["a"]), term(["b"])) }, gated)).map((l) => l.split(": ")[0]), [p, "spec"]);
});
