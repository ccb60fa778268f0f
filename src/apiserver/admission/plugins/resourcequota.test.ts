// Checks ResourceQuota admission and the quota controller through the REST
// core: the controller fills status.hard/used, the N+1th pod is refused with
// upstream's "exceeded quota" message (also through kubectl), racing creates
// cannot both take the last unit, deleting a pod gives its usage back, and
// compute quotas need containers to state requests.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import { kubectl } from "../../testenv.ts";
import { REFS } from "./common.ts";
import { startResourceQuotaController, type ResourceQuotaController } from "./quotacontroller.ts";
import type { ResourceQuota } from "./quotascopes.ts";
import { eventually, refusal, startPluginServer, testPod, type PluginTestEnv } from "./testsupport.ts";

const withCpu = (name: string, cpu: string): KubeObject =>
  testPod(name, { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu, memory: "64Mi" }, limits: { cpu, memory: "64Mi" } } }] });

describe("ResourceQuota admission and controller", () => {
  let env: PluginTestEnv;
  let controller: ResourceQuotaController;
  before(async () => {
    env = await startPluginServer();
    controller = startResourceQuotaController(env.admin, { resyncMs: 60_000 });
    await controller.ready();
    for (const ns of ["q1", "q2", "q3"]) {
      await env.admin.create(REFS.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
      await env.admin.create(REFS.serviceaccounts, ns, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
    }
  });
  after(async () => {
    await controller.stop();
    await env.close();
  });

  const quotaStatus = (ns: string, name: string, want: (q: ResourceQuota) => boolean) =>
    eventually(async () => {
      const q = await env.admin.get<ResourceQuota>(REFS.resourcequotas, ns, name);
      return want(q) ? q : undefined;
    });

  it("refuses the N+1th pod and counts usage", async () => {
    await env.admin.create(REFS.resourcequotas, "q1", { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "pods" }, spec: { hard: { pods: "2", "count/configmaps": "5" } } });
    const ready = await quotaStatus("q1", "pods", (q) => q.status?.hard?.pods === "2");
    assert.deepEqual(ready.status, { hard: { pods: "2", "count/configmaps": "5" }, used: { pods: "0", "count/configmaps": "0" } });
    await env.admin.create(REFS.pods, "q1", testPod("p1"));
    await env.admin.create(REFS.pods, "q1", testPod("p2"));
    const s = await refusal(env.admin.create(REFS.pods, "q1", testPod("p3")));
    assert.equal(s.code, 403);
    assert.equal(s.message, 'pods "p3" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2');
    const r = await kubectl(env.ts, ["-n", "q1", "run", "p4", "--image=busybox"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pods "p4" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2/);
    const used = (await env.admin.get<ResourceQuota>(REFS.resourcequotas, "q1", "pods")).status?.used;
    assert.deepEqual(used, { pods: "2", "count/configmaps": "0" });
    const table = await kubectl(env.ts, ["-n", "q1", "get", "quota", "pods"]);
    assert.match(table.stdout, /count\/configmaps: 0\/5, pods: 2\/2/);
  });

  it("gives usage back when a pod goes and counts other objects", async () => {
    await env.admin.delete(REFS.pods, "q1", "p1", { gracePeriodSeconds: 0 });
    await quotaStatus("q1", "pods", (q) => q.status?.used?.pods === "1");
    await env.admin.create(REFS.pods, "q1", testPod("p5"));
    await env.admin.create(REFS.configmaps, "q1", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: {} });
    assert.equal((await env.admin.get<ResourceQuota>(REFS.resourcequotas, "q1", "pods")).status?.used?.["count/configmaps"], "1");
    const dry = await env.admin.create(REFS.configmaps, "q1", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dry" }, data: {} }, { dryRun: true });
    assert.equal(dry.metadata.name, "dry");
    assert.equal((await env.admin.get<ResourceQuota>(REFS.resourcequotas, "q1", "pods")).status?.used?.["count/configmaps"], "1", "dry runs charge nothing");
  });

  it("lets only one of two racing creates take the last unit", async () => {
    await env.admin.create(REFS.resourcequotas, "q2", { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "one" }, spec: { hard: { "count/secrets": "1" } } });
    await quotaStatus("q2", "one", (q) => q.status?.hard?.["count/secrets"] === "1");
    const secret = (name: string) => env.admin.create(REFS.secrets, "q2", { apiVersion: "v1", kind: "Secret", metadata: { name }, data: {} });
    const results = await Promise.allSettled([secret("a"), secret("b"), secret("c")]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    assert.equal((await env.admin.list(REFS.secrets, "q2")).items.length, 1);
    // quotas count themselves too
    await env.admin.create(REFS.resourcequotas, "q2", { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "quotas" }, spec: { hard: { resourcequotas: "2" } } });
    await quotaStatus("q2", "quotas", (q) => q.status?.used?.resourcequotas === "2");
    const third = await refusal(env.admin.create(REFS.resourcequotas, "q2", { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "third" }, spec: { hard: { pods: "1" } } }));
    assert.equal(third.message, 'resourcequotas "third" is forbidden: exceeded quota: quotas, requested: resourcequotas=1, used: resourcequotas=2, limited: resourcequotas=2');
  });

  it("sums compute requests and insists containers state them", async () => {
    await env.admin.create(REFS.resourcequotas, "q3", { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "compute" }, spec: { hard: { "requests.cpu": "1", "limits.memory": "1Gi" } } });
    await quotaStatus("q3", "compute", (q) => q.status?.used?.["requests.cpu"] === "0");
    await env.admin.create(REFS.pods, "q3", withCpu("a", "300m"));
    await env.admin.create(REFS.pods, "q3", withCpu("b", "600m"));
    const s = await refusal(env.admin.create(REFS.pods, "q3", withCpu("c", "200m")));
    assert.equal(s.message, 'pods "c" is forbidden: exceeded quota: compute, requested: requests.cpu=200m, used: requests.cpu=900m, limited: requests.cpu=1');
    const bare = await refusal(env.admin.create(REFS.pods, "q3", testPod("bare")));
    assert.equal(bare.message, 'pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: c; requests.cpu for: c');
    const q = await env.admin.get<ResourceQuota>(REFS.resourcequotas, "q3", "compute");
    assert.deepEqual(q.status?.used, { "requests.cpu": "900m", "limits.memory": "128Mi" });
  });
});
