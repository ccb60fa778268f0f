/**
 * Control-plane benchmark: a 1 000-replica Deployment over 100 registered
 * nodes (no kubelets), timed from creation until every pod is bound.
 * Datastore, API server, controller manager and scheduler share this process,
 * so the RSS printed is the whole server's.
 * Run: node --import tsx bench/control-plane/run.ts [replicas] [nodes]
 */
import { R } from "../../src/client/resources.ts";
import { SharedInformerFactory } from "../../src/client/factory.ts";
import type { Pod } from "../../src/client/types.ts";
import { startControllerManager } from "../../src/controllers/mod.ts";
import { startScheduler } from "../../src/scheduler/mod.ts";
import { addNode, startTestCluster } from "../../src/controllers/testenv.ts";

const replicas = Number(process.argv[2] ?? 1000);
const nodes = Number(process.argv[3] ?? 100);
const GOAL_MS = 10_000;

const c = await startTestCluster();
for (let i = 0; i < nodes; i += 10) {
  await Promise.all(Array.from({ length: Math.min(10, nodes - i) }, (_, j) => addNode(c.client, `node-${i + j}`, { cpu: "32", memory: "64Gi", pods: "110" })));
}
// one set of informers for both, as the server wires them
const factory = new SharedInformerFactory(c.client);
const cm = await startControllerManager(c.client, { leaderElection: false, controllers: ["replicaset", "deployment", "garbagecollector"], factory });
const sched = await startScheduler(c.client, { leaderElection: false, factory });

// watch pods and count bindings as they happen
const bound = new Set<string>();
const created = new Set<string>();
const watch = await c.client.watch<Pod>(R.pods, "default", { resourceVersion: "0" });
let done: () => void = () => undefined;
const allBound = new Promise<void>((r) => (done = r));
void (async () => {
  for await (const ev of watch) {
    const p = ev.object;
    if (ev.type === "ADDED") created.add(p.metadata.name ?? "");
    if ((ev.type === "ADDED" || ev.type === "MODIFIED") && p.spec?.nodeName) bound.add(p.metadata.name ?? "");
    if (bound.size >= replicas) done();
  }
})();

const t0 = performance.now();
await c.client.create(R.deployments, "default", {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "bench", namespace: "default" },
  spec: {
    replicas,
    selector: { matchLabels: { app: "bench" } },
    template: { metadata: { labels: { app: "bench" } }, spec: { containers: [{ name: "c", image: "registry.k8s.io/pause:3.10", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] } },
  },
});
const progress = setInterval(() => console.log(`  ${created.size} created, ${bound.size}/${replicas} bound after ${((performance.now() - t0) / 1000).toFixed(1)} s`), 2000);
await allBound;
const elapsed = performance.now() - t0;
clearInterval(progress);
const rssMiB = process.memoryUsage().rss / 2 ** 20;
const perNode = new Map<string, number>();
for (const p of (await c.client.list<Pod>(R.pods, "default")).items) perNode.set(p.spec.nodeName ?? "", (perNode.get(p.spec.nodeName ?? "") ?? 0) + 1);
const counts = [...perNode.values()];
console.log(`control-plane: ${replicas} pods bound over ${nodes} nodes in ${(elapsed / 1000).toFixed(2)} s (goal ≤ ${GOAL_MS / 1000} s, ratio ${(elapsed / GOAL_MS).toFixed(2)})`);
console.log(`  pods per node min ${Math.min(...counts)} max ${Math.max(...counts)}; server RSS ${rssMiB.toFixed(0)} MiB`);
watch.stop();
await sched.stop();
await cm.stop();
factory.stop();
await c.close();
