/**
 * DaemonSet, StatefulSet, Job and CronJob end to end over a real API server
 * and SQLite, with the scheduler; the test plays the kubelet (pod status).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../api/types.ts";
import { R } from "../client/resources.ts";
import type { Node, Pod } from "../client/types.ts";
import { startControllerManager } from "./mod.ts";
import { startScheduler } from "../scheduler/mod.ts";
import { addNode, listItems, markPodReady, startTestCluster, waitFor, type TestCluster } from "./testenv.ts";
import type { Job } from "./job/job.ts";

describe("daemonsets, statefulsets, jobs and cronjobs", () => {
  let c: TestCluster;
  let stops: (() => Promise<void>)[] = [];
  before(async () => {
    c = await startTestCluster();
    for (const n of ["n1", "n2", "n3"]) await addNode(c.client, n);
    const tainted = await c.client.get<Node>(R.nodes, undefined, "n3");
    await c.client.update(R.nodes, undefined, { ...tainted, spec: { ...tainted.spec, taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] } });
    const cm = await startControllerManager(c.client, { leaderElection: false, controllers: ["daemonset", "statefulset", "job", "cronjob", "garbagecollector"] });
    const sched = await startScheduler(c.client, { leaderElection: false });
    stops = [() => sched.stop(), () => cm.stop()];
  });
  after(async () => {
    for (const s of stops) await s();
    await c.close();
  });

  const pods = async (sel: string): Promise<Pod[]> => (await listItems<Pod>(c.client, R.pods, "default", sel)).filter((p) => !p.metadata.deletionTimestamp);
  // as a kubelet: read, set the phase, retry when a controller wrote meanwhile
  const setPhase = async (p: Pod, phase: "Succeeded" | "Failed"): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const cur = await c.client.get<Pod>(R.pods, "default", p.metadata.name ?? "");
      try {
        await c.client.update(R.pods, "default", { ...cur, status: { ...(cur.status ?? {}), phase } }, { subresource: "status" });
        return;
      } catch (err) {
        if ((err as { code?: number }).code !== 409 || attempt > 10) throw err;
      }
    }
  };

  test("a DaemonSet covers every untainted node, and a new node", async () => {
    await c.client.create(R.daemonsets, "default", {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "default" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "a", image: "busybox" }] } } },
    });
    const placed = await waitFor("daemon pods on n1, n2", async () => {
      const ps = await pods("app=agent");
      const nodes = ps.map((p) => p.spec.nodeName).filter(Boolean).sort();
      return nodes.length === 2 && nodes.join(",") === "n1,n2" && nodes;
    });
    assert.deepEqual(placed, ["n1", "n2"]);
    await addNode(c.client, "n4");
    await waitFor("daemon pod on n4", async () => (await pods("app=agent")).some((p) => p.spec.nodeName === "n4"));
    const ds = await waitFor("status", async () => {
      const d = await c.client.get<KubeObject & { status?: { desiredNumberScheduled?: number; currentNumberScheduled?: number } }>(R.daemonsets, "default", "agent");
      return d.status?.desiredNumberScheduled === 3 && d.status.currentNumberScheduled === 3 && d;
    });
    assert.ok(ds);
    const revs = await listItems(c.client, R.controllerrevisions, "default");
    assert.ok(revs.some((r) => r.metadata.name?.startsWith("agent-")), "a ControllerRevision records the template");
  });

  test("a StatefulSet creates web-0, web-1, web-2 in order with their PVCs", async () => {
    // claims of a WaitForFirstConsumer class let the pods be scheduled before any volume exists
    await c.client.create(R.storageclasses, undefined, { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "lazy" }, provisioner: "rancher.io/local-path", volumeBindingMode: "WaitForFirstConsumer" });
    await c.client.create(R.statefulsets, "default", {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "web", namespace: "default" },
      spec: {
        replicas: 3,
        serviceName: "web",
        selector: { matchLabels: { app: "sts" } },
        template: { metadata: { labels: { app: "sts" } }, spec: { containers: [{ name: "w", image: "nginx", volumeMounts: [{ name: "data", mountPath: "/data" }] }] } },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { storageClassName: "lazy", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      },
    });
    const seen: string[] = [];
    for (const i of [0, 1, 2]) {
      const p = await waitFor(`web-${i}`, async () => {
        const ps = await pods("app=sts");
        return ps.find((x) => x.metadata.name === `web-${i}` && x.spec.nodeName);
      });
      // the next one only comes once this one is Running and Ready
      const all = await pods("app=sts");
      assert.equal(all.length, i + 1, `only ${i + 1} pods before web-${i} is ready`);
      assert.equal(p.spec.hostname, `web-${i}`);
      assert.equal(p.spec.subdomain, "web");
      assert.equal(p.spec.volumes?.find((v) => v.name === "data")?.persistentVolumeClaim?.claimName, `data-web-${i}`);
      await c.client.get(R.persistentvolumeclaims, "default", `data-web-${i}`);
      seen.push(p.metadata.name ?? "");
      await markPodReady(c.client, p, `10.42.1.${i + 1}`);
    }
    assert.deepEqual(seen, ["web-0", "web-1", "web-2"]);
    await waitFor("sts status", async () => {
      const s = await c.client.get<KubeObject & { status?: { readyReplicas?: number; updateRevision?: string } }>(R.statefulsets, "default", "web");
      return s.status?.readyReplicas === 3 && s.status.updateRevision;
    });
  });

  test("a StatefulSet rolling update with partition 2 replaces only web-2", async () => {
    const s0 = await c.client.get<KubeObject & { spec: Record<string, unknown> & { template: { spec: { containers: { image?: string }[] } } } }>(R.statefulsets, "default", "web");
    s0.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { partition: 2 } };
    s0.spec.template.spec.containers[0].image = "nginx:2";
    await c.client.update(R.statefulsets, "default", s0);
    const web2 = await waitFor("web-2 recreated with nginx:2", async () => {
      // as kubelets: finish terminating pods, report new ones ready
      for (const p of await listItems<Pod>(c.client, R.pods, "default", "app=sts")) {
        if (p.metadata.deletionTimestamp) await c.client.delete(R.pods, "default", p.metadata.name ?? "", { gracePeriodSeconds: 0 }).catch(() => undefined);
        else if (p.spec.nodeName && !p.status?.conditions?.some((x) => x.type === "Ready")) await markPodReady(c.client, p).catch(() => undefined);
      }
      const p = (await pods("app=sts")).find((x) => x.metadata.name === "web-2");
      return p?.spec.containers[0].image === "nginx:2" && p;
    });
    assert.ok(web2);
    await new Promise((r) => setTimeout(r, 300));
    const images = Object.fromEntries((await pods("app=sts")).map((p) => [p.metadata.name, p.spec.containers[0].image]));
    assert.deepEqual(images, { "web-0": "nginx", "web-1": "nginx", "web-2": "nginx:2" });
  });

  test("a DaemonSet image change replaces its pods one node at a time", async () => {
    for (const p of await pods("app=agent")) await markPodReady(c.client, p).catch(() => undefined);
    await c.client.patch(R.daemonsets, "default", "agent", "merge", { spec: { template: { spec: { containers: [{ name: "a", image: "busybox:2" }] } } } });
    let maxOld = 0;
    await waitFor("all daemon pods updated", async () => {
      const all = await listItems<Pod>(c.client, R.pods, "default", "app=agent");
      for (const p of all) {
        if (p.metadata.deletionTimestamp) await c.client.delete(R.pods, "default", p.metadata.name ?? "", { gracePeriodSeconds: 0 }).catch(() => undefined);
        else if (p.spec.nodeName && !p.status?.conditions?.some((x) => x.type === "Ready")) await markPodReady(c.client, p).catch(() => undefined);
      }
      const live = all.filter((p) => !p.metadata.deletionTimestamp);
      const down = 3 - live.filter((p) => p.status?.conditions?.some((x) => x.type === "Ready" && x.status === "True")).length;
      maxOld = Math.max(maxOld, down);
      return live.length === 3 && live.every((p) => p.spec.containers[0].image === "busybox:2");
    }, 20_000);
    assert.ok(maxOld <= 1, `maxUnavailable 1: at most one node without a ready daemon at a time (saw ${maxOld})`);
  });

  test("an Indexed Job runs one pod per index and records completed indexes", async () => {
    await c.client.create(R.jobs, "default", {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "idx", namespace: "default" },
      spec: { completions: 3, parallelism: 3, completionMode: "Indexed", template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
    });
    const ps = await waitFor("3 indexed pods", async () => {
      const l = await pods("job-name=idx");
      return l.length === 3 && l;
    });
    assert.deepEqual(ps.map((p) => p.metadata.annotations?.["batch.kubernetes.io/job-completion-index"]).sort(), ["0", "1", "2"]);
    assert.ok(ps.every((p) => p.spec.hostname === `idx-${p.metadata.annotations?.["batch.kubernetes.io/job-completion-index"]}`));
    for (const p of ps) await setPhase(p, "Succeeded");
    const j = await waitFor("complete", async () => {
      const x = await c.client.get<Job>(R.jobs, "default", "idx");
      return x.status?.conditions?.some((k) => k.type === "Complete") && x;
    });
    assert.equal(j.status?.completedIndexes, "0-2");
  });

  test("a Job with completions 3 and parallelism 2 completes once 3 pods succeed", async () => {
    await c.client.create(R.jobs, "default", {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "calc", namespace: "default" },
      spec: { completions: 3, parallelism: 2, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
    });
    const first = await waitFor("2 pods", async () => {
      const ps = await pods("job-name=calc");
      return ps.length === 2 && ps;
    });
    await setPhase(first[0], "Succeeded");
    await setPhase(first[1], "Succeeded");
    const third = await waitFor("third pod", async () => {
      const ps = (await pods("job-name=calc")).filter((p) => p.status?.phase !== "Succeeded");
      return ps.length === 1 && ps[0];
    });
    await setPhase(third, "Succeeded");
    const job = await waitFor("Complete", async () => {
      const j = await c.client.get<Job>(R.jobs, "default", "calc");
      return j.status?.conditions?.some((x) => x.type === "Complete" && x.status === "True") && j;
    });
    assert.equal(job.status?.succeeded, 3);
    assert.equal(job.status?.active, 0);
    assert.ok(job.status?.completionTime);
  });

  test("a Job fails after backoffLimit failures", async () => {
    await c.client.create(R.jobs, "default", {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "flaky", namespace: "default" },
      spec: { backoffLimit: 1, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
    });
    for (let i = 0; i < 2; i++) {
      const p = await waitFor(`attempt ${i}`, async () => (await pods("job-name=flaky")).find((x) => x.status?.phase !== "Failed"));
      await setPhase(p, "Failed");
    }
    const j = await waitFor("Failed", async () => {
      const x = await c.client.get<Job>(R.jobs, "default", "flaky");
      return x.status?.conditions?.find((k) => k.type === "Failed" && k.status === "True");
    });
    assert.equal(j.reason, "BackoffLimitExceeded");
  });

  test("a CronJob creates the Job for its latest missed minute and keeps the history limits", async () => {
    const cj: KubeObject = await c.client.create<KubeObject>(R.cronjobs, "default", {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "tick", namespace: "default" },
      spec: {
        schedule: "* * * * *",
        successfulJobsHistoryLimit: 1,
        concurrencyPolicy: "Forbid",
        jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } } },
      },
    });
    // finished jobs from earlier runs: only the newest may stay
    for (const [i, t] of [[1, "2024-01-01T00:01:00Z"], [2, "2024-01-01T00:02:00Z"]] as const) {
      const j = await c.client.create<Job>(R.jobs, "default", {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: `tick-old-${i}`, namespace: "default", ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "tick", uid: cj.metadata.uid ?? "", controller: true }] },
        spec: { suspend: true, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
      });
      await c.client.update(R.jobs, "default", { ...j, status: { startTime: t, completionTime: t, succeeded: 1, conditions: [{ type: "Complete", status: "True", lastTransitionTime: t }] } }, { subresource: "status" });
    }
    // pretend the last run was five minutes ago so a run is due now
    const cur = await c.client.get(R.cronjobs, "default", "tick");
    const past = new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d+Z$/, "Z");
    await c.client.update(R.cronjobs, "default", { ...cur, status: { lastScheduleTime: past } }, { subresource: "status" });
    const job = await waitFor("scheduled job", async () => (await listItems<Job>(c.client, R.jobs, "default")).find((j) => /^tick-\d+$/.test(j.metadata.name ?? "")));
    const minute = Number(job.metadata.name!.split("-")[1]);
    assert.ok(Math.abs(minute - Math.floor(Date.now() / 60_000)) <= 1, "named after the latest scheduled minute");
    assert.ok(job.metadata.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"]);
    await waitFor("history trimmed to 1 successful", async () => {
      const names = (await listItems(c.client, R.jobs, "default")).map((j) => j.metadata.name).filter((n) => n?.startsWith("tick-old-"));
      return names.length === 1 && names[0] === "tick-old-2";
    });
    const status = await waitFor("active job in status", async () => {
      const x = await c.client.get<KubeObject & { status?: { active?: { name?: string }[]; lastScheduleTime?: string } }>(R.cronjobs, "default", "tick");
      return x.status?.active?.some((a) => a.name === job.metadata.name) && x.status;
    });
    assert.ok(status.lastScheduleTime && status.lastScheduleTime > past);
  });
});
