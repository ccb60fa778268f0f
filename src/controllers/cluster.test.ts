/**
 * Namespace, ServiceAccount, root CA, Endpoints/EndpointSlice and node IPAM
 * controllers over a real API server and SQLite; leader election between two
 * controller managers on one datastore.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../api/types.ts";
import { R } from "../client/resources.ts";
import type { Node, Pod } from "../client/types.ts";
import { startControllerManager } from "./mod.ts";
import { addNode, listItems, markPodReady, startTestCluster, waitFor, type TestCluster } from "./testenv.ts";

const CA = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";

describe("cluster controllers", () => {
  let c: TestCluster;
  let stop: () => Promise<void>;
  before(async () => {
    c = await startTestCluster();
    const cm = await startControllerManager(c.client, {
      leaderElection: false,
      rootCAPEM: CA,
      controllers: ["*", "-nodelifecycle"],
    });
    stop = () => cm.stop();
  });
  after(async () => {
    await stop();
    await c.close();
  });

  test("every namespace gets the default ServiceAccount and kube-root-ca.crt", async () => {
    await c.client.create(R.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    await waitFor("default SA", () => c.client.get(R.serviceaccounts, "team-a", "default"));
    const cm = await waitFor("root CA configmap", () => c.client.get(R.configmaps, "team-a", "kube-root-ca.crt"));
    assert.equal((cm.data as Record<string, string>)["ca.crt"], CA);
    await c.client.delete(R.serviceaccounts, "team-a", "default");
    await waitFor("default SA recreated", async () => !(await c.client.get(R.serviceaccounts, "team-a", "default")).metadata.deletionTimestamp);
  });

  test("a namespace with 100 objects is drained, finalized and deleted", async () => {
    await c.client.create(R.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "doomed" } });
    const creates: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) creates.push(c.client.create(R.configmaps, "doomed", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${i}` }, data: { i: String(i) } }));
    for (let i = 0; i < 20; i++) creates.push(c.client.create(R.secrets, "doomed", { apiVersion: "v1", kind: "Secret", metadata: { name: `s-${i}` }, type: "Opaque" }));
    for (let i = 0; i < 20; i++) {
      creates.push(c.client.create(R.pods, "doomed", { apiVersion: "v1", kind: "Pod", metadata: { name: `p-${i}` }, spec: { containers: [{ name: "c", image: "busybox" }] } }));
    }
    await Promise.all(creates);
    await c.client.delete(R.namespaces, undefined, "doomed");
    const terminating = await c.client.get<KubeObject & { status?: { phase?: string } }>(R.namespaces, undefined, "doomed");
    assert.equal(terminating.status?.phase, "Terminating");
    await waitFor(
      "content gone",
      async () =>
        (await listItems(c.client, R.configmaps, "doomed")).length === 0 &&
        (await listItems(c.client, R.secrets, "doomed")).length === 0 &&
        (await listItems(c.client, R.pods, "doomed")).length === 0,
      30_000,
    );
    const ns = await waitFor("ContentRemoved condition", async () => {
      const n = await c.client.get<KubeObject & { status?: { conditions?: { type: string; reason?: string }[] } }>(R.namespaces, undefined, "doomed").catch(() => undefined);
      return n === undefined ? "gone" : n.status?.conditions?.find((x) => x.type === "NamespaceContentRemaining")?.reason === "ContentRemoved" && "drained";
    });
    assert.ok(ns === "gone" || ns === "drained");
    await waitFor(
      "namespace finalized and gone",
      async () => c.client.get(R.namespaces, undefined, "doomed").then(() => false, (err: { code?: number }) => err.code === 404),
      10_000,
    );
  });

  test("Endpoints and EndpointSlices follow pod readiness, named ports and publishNotReadyAddresses", async () => {
    await addNode(c.client, "ep-node");
    const mk = (name: string, ip: string): Pod => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "default", labels: { app: "api" } },
      spec: { nodeName: "ep-node", containers: [{ name: "c", image: "x", ports: [{ name: "http", containerPort: 8080 }] }] },
      status: { podIP: ip },
    });
    const a = await c.client.create<Pod>(R.pods, "default", mk("api-a", "10.42.0.5"));
    await c.client.create<Pod>(R.pods, "default", mk("api-b", "10.42.0.6"));
    await markPodReady(c.client, a, "10.42.0.5");
    const b = await c.client.get<Pod>(R.pods, "default", "api-b");
    await c.client.update(R.pods, "default", { ...b, status: { phase: "Running", podIP: "10.42.0.6", podIPs: [{ ip: "10.42.0.6" }], conditions: [{ type: "Ready", status: "False" }] } }, { subresource: "status" });
    await c.client.create(R.services, "default", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "api", namespace: "default" },
      spec: { selector: { app: "api" }, ports: [{ name: "web", port: 80, targetPort: "http" }] },
    });
    type Subset = { addresses?: { ip: string; nodeName?: string; targetRef?: { name?: string } }[]; notReadyAddresses?: { ip: string }[]; ports?: { name?: string; port: number; protocol?: string }[] };
    const ep = await waitFor("endpoints", async () => {
      const e = await c.client.get<KubeObject & { subsets?: Subset[] }>(R.endpoints, "default", "api");
      return e.subsets?.[0]?.addresses?.length === 1 && e.subsets[0].notReadyAddresses?.length === 1 && e;
    });
    assert.equal(ep.subsets![0].addresses![0].ip, "10.42.0.5");
    assert.equal(ep.subsets![0].addresses![0].targetRef?.name, "api-a");
    assert.deepEqual(ep.subsets![0].ports, [{ name: "web", port: 8080, protocol: "TCP" }]);
    type Slice = KubeObject & { endpoints?: { addresses: string[]; conditions: { ready: boolean } }[]; ports?: { name: string; port: number }[]; addressType?: string };
    const slice = await waitFor("endpointslice", async () => {
      const l = await listItems<Slice>(c.client, R.endpointslices, "default", "kubernetes.io/service-name=api");
      return l.length === 1 && l[0].endpoints?.length === 2 && l[0];
    });
    assert.equal(slice.addressType, "IPv4");
    assert.deepEqual(slice.ports, [{ name: "web", port: 8080, protocol: "TCP" }]);
    assert.deepEqual(slice.endpoints!.map((e) => [e.addresses[0], e.conditions.ready]), [["10.42.0.5", true], ["10.42.0.6", false]]);
    assert.equal(slice.metadata.ownerReferences?.[0].kind, "Service");

    await c.client.patch(R.services, "default", "api", "merge", { spec: { publishNotReadyAddresses: true } });
    await waitFor("both addresses ready", async () => {
      const e = await c.client.get<KubeObject & { subsets?: Subset[] }>(R.endpoints, "default", "api");
      return e.subsets?.[0]?.addresses?.length === 2 && !e.subsets[0].notReadyAddresses;
    });
    await c.client.delete(R.services, "default", "api");
    await waitFor("endpoints removed", async () => c.client.get(R.endpoints, "default", "api").then(() => false, () => true));
    await waitFor("slices removed", async () => (await listItems(c.client, R.endpointslices, "default", "kubernetes.io/service-name=api")).length === 0);
  });

  test("node IPAM gives each node its own /24, never a held one", async () => {
    await addNode(c.client, "ipam-1");
    await addNode(c.client, "ipam-2");
    const cidrs = await waitFor("pod CIDRs", async () => {
      const nodes = await listItems<Node>(c.client, R.nodes);
      return nodes.every((n) => n.spec?.podCIDR) && nodes.map((n) => n.spec!.podCIDR!);
    });
    assert.equal(new Set(cidrs).size, cidrs.length, `distinct: ${cidrs}`);
    for (const cidr of cidrs) assert.match(cidr, /^10\.42\.\d+\.0\/24$/);
    const n2 = await c.client.get<Node>(R.nodes, undefined, "ipam-2");
    assert.deepEqual(n2.spec?.podCIDRs, [n2.spec?.podCIDR]);
  });
});

describe("leader election", () => {
  test("two controller managers on one datastore: one leads, the other takes over when it stops", async () => {
    const c = await startTestCluster();
    const timings = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };
    const a = await startControllerManager(c.client, { identity: "a", controllers: ["serviceaccount"], ...timings });
    const b = await startControllerManager(c.client, { identity: "b", controllers: ["serviceaccount"], ...timings });
    try {
      type Lease = KubeObject & { spec?: { holderIdentity?: string; leaseTransitions?: number } };
      const first = await waitFor("a leader", async () => (await c.client.get<Lease>(R.leases, "kube-system", "kube-controller-manager")).spec?.holderIdentity);
      await c.client.create(R.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "le-1" } });
      await waitFor("SA by the leader", () => c.client.get(R.serviceaccounts, "le-1", "default"));
      await (first === "a" ? a : b).stop();
      const second = await waitFor("the other leads", async () => {
        const h = (await c.client.get<Lease>(R.leases, "kube-system", "kube-controller-manager")).spec?.holderIdentity;
        return h && h !== first && h;
      });
      assert.notEqual(second, first);
      await c.client.create(R.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "le-2" } });
      await waitFor("SA by the new leader", () => c.client.get(R.serviceaccounts, "le-2", "default"));
    } finally {
      await a.stop();
      await b.stop();
      await c.close();
    }
  });
});
