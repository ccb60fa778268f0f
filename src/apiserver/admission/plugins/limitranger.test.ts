// Checks LimitRanger through the REST core: a LimitRange's container
// defaults land on new pods (with the kubernetes.io/limit-ranger
// annotation), and containers, pods and claims beyond min/max/ratio are
// refused with upstream's 403 text, also as kubectl shows it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { kubectl } from "../../testenv.ts";
import { REFS, type PodSpec } from "./common.ts";
import { podViolations } from "./limitranger.ts";
import { refusal, startPluginServer, testPod, type PluginTestEnv } from "./testsupport.ts";

describe("LimitRanger admission", () => {
  let env: PluginTestEnv;
  before(async () => {
    env = await startPluginServer();
    await env.admin.create(REFS.limitranges, "default", {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "limits" },
      spec: {
        limits: [
          { type: "Container", default: { cpu: "500m", memory: "256Mi" }, defaultRequest: { cpu: "100m", memory: "128Mi" }, max: { cpu: "1", memory: "1Gi" }, min: { cpu: "50m" }, maxLimitRequestRatio: { cpu: "10" } },
          { type: "Pod", max: { cpu: "2" } },
          { type: "PersistentVolumeClaim", min: { storage: "1Gi" }, max: { storage: "5Gi" } },
        ],
      },
    });
  });
  after(async () => {
    await env.close();
  });

  it("fills container defaults and records them", async () => {
    const pod = await env.admin.create(REFS.pods, "default", testPod("defaulted", { initContainers: [{ name: "setup", image: "busybox", resources: { limits: { cpu: "200m" } } }] }));
    const spec = pod.spec as PodSpec;
    assert.deepEqual(spec.containers?.[0].resources, { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } });
    // pod defaulting already copied the stated cpu limit into the request, so only memory comes from the range
    assert.deepEqual(spec.initContainers?.[0].resources, { limits: { cpu: "200m", memory: "256Mi" }, requests: { cpu: "200m", memory: "128Mi" } });
    assert.equal(
      pod.metadata.annotations?.["kubernetes.io/limit-ranger"],
      "LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c; memory request for init container setup; memory limit for init container setup",
    );
  });

  it("refuses a container over max with upstream's message", async () => {
    const big = testPod("big", { containers: [{ name: "c", image: "busybox", resources: { limits: { cpu: "2" }, requests: { cpu: "1" } } }] });
    const s = await refusal(env.admin.create(REFS.pods, "default", big));
    assert.equal(s.code, 403);
    assert.equal(s.message, 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
    const r = await kubectl(env.ts, ["run", "huge", "--image=busybox", "--overrides", JSON.stringify({ spec: { containers: [{ name: "huge", image: "busybox", resources: { limits: { memory: "2Gi" } } }] } })]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pods "huge" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi/);
  });

  it("aggregates several violations and checks the pod total and ratio", async () => {
    const c = (name: string) => ({ name, image: "busybox", resources: { limits: { cpu: "1" }, requests: { cpu: "100m" } } });
    const three = testPod("three", { containers: [c("a"), c("b"), c("d")] });
    assert.equal((await refusal(env.admin.create(REFS.pods, "default", three))).message, 'pods "three" is forbidden: maximum cpu usage per Pod is 2, but limit is 3');
    const ratio = testPod("ratio", { containers: [{ name: "a", image: "busybox", resources: { limits: { cpu: "1" }, requests: { cpu: "60m" } } }] });
    assert.equal((await refusal(env.admin.create(REFS.pods, "default", ratio))).message, 'pods "ratio" is forbidden: cpu max limit to request ratio per Container is 10, but provided ratio is 16.666667');
    const errs = podViolations(testPod("x", { containers: [{ name: "a", image: "i", resources: { requests: { cpu: "10m" }, limits: { cpu: "3" } } }] }), [{ type: "Container", min: { cpu: "50m" }, max: { cpu: "1" } }]);
    assert.deepEqual(errs, ["minimum cpu usage per Container is 50m, but request is 10m", "maximum cpu usage per Container is 1, but limit is 3"]);
  });

  it("bounds persistent volume claim requests", async () => {
    const claim = (name: string, storage: string) => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } } } });
    await env.admin.create(REFS.persistentvolumeclaims, "default", claim("ok", "2Gi"));
    assert.equal((await refusal(env.admin.create(REFS.persistentvolumeclaims, "default", claim("small", "500Mi")))).message, 'persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi');
    assert.equal((await refusal(env.admin.create(REFS.persistentvolumeclaims, "default", claim("large", "10Gi")))).message, 'persistentvolumeclaims "large" is forbidden: maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi');
  });
});
