/** PDB status, TTL after finished, and CSR approval/signing over a real API server and SQLite. */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../api/types.ts";
import { R } from "../client/resources.ts";
import type { Pod } from "../client/types.ts";
import { createCSR, generateKey } from "../server/pki/mod.ts";
import { startControllerManager } from "./mod.ts";
import type { CSRSignRequest } from "./util/context.ts";
import { addNode, markPodReady, startTestCluster, waitFor, type TestCluster } from "./testenv.ts";

describe("policy controllers", () => {
  let c: TestCluster;
  let stop: () => Promise<void>;
  const signed: CSRSignRequest[] = [];
  before(async () => {
    c = await startTestCluster();
    const cm = await startControllerManager(c.client, {
      leaderElection: false,
      controllers: ["disruption", "ttl-after-finished", "csrapproving", "job", "garbagecollector"],
      signCSR: async (req) => {
        signed.push(req);
        return "-----BEGIN CERTIFICATE-----\nsigned\n-----END CERTIFICATE-----\n";
      },
    });
    stop = () => cm.stop();
  });
  after(async () => {
    await stop();
    await c.close();
  });

  test("a PDB counts healthy pods and allows disruptions above minAvailable", async () => {
    await addNode(c.client, "pn");
    for (const i of [1, 2, 3]) {
      const p = await c.client.create<Pod>(R.pods, "default", { apiVersion: "v1", kind: "Pod", metadata: { name: `db-${i}`, labels: { app: "db" } }, spec: { nodeName: "pn", containers: [{ name: "c", image: "x" }] } });
      if (i < 3) await markPodReady(c.client, p);
    }
    await c.client.create(R.poddisruptionbudgets, "default", { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "db" }, spec: { minAvailable: 1, selector: { matchLabels: { app: "db" } } } });
    type PDBStatus = { expectedPods?: number; currentHealthy?: number; desiredHealthy?: number; disruptionsAllowed?: number; conditions?: { type: string; status: string }[] };
    const st = await waitFor("pdb status", async () => (await c.client.get<KubeObject & { status?: PDBStatus }>(R.poddisruptionbudgets, "default", "db")).status?.expectedPods === 3 && (await c.client.get<KubeObject & { status?: PDBStatus }>(R.poddisruptionbudgets, "default", "db")).status);
    assert.equal(st.currentHealthy, 2);
    assert.equal(st.desiredHealthy, 1);
    assert.equal(st.disruptionsAllowed, 1);
    assert.equal(st.conditions?.[0].status, "True");
  });

  test("a finished Job with ttlSecondsAfterFinished 0 is deleted", async () => {
    const j = await c.client.create(R.jobs, "default", {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "brief" },
      spec: { suspend: true, ttlSecondsAfterFinished: 0, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "x" }] } } },
    });
    const t = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    await c.client.update(R.jobs, "default", { ...j, status: { completionTime: t, succeeded: 1, conditions: [{ type: "Complete", status: "True", lastTransitionTime: t }] } }, { subresource: "status" });
    await waitFor("job deleted", async () => c.client.get(R.jobs, "default", "brief").then(() => false, (err: { code?: number }) => err.code === 404));
  });

  test("a kubelet client CSR from a bootstrapper is approved and signed; others are left alone", async () => {
    const request = (cn: string, o: string[]): string => Buffer.from(createCSR(generateKey(), { subject: { cn, o } })).toString("base64");
    const csr = (name: string, cn: string, o: string[]): KubeObject => ({
      apiVersion: "certificates.k8s.io/v1",
      kind: "CertificateSigningRequest",
      metadata: { name },
      spec: { request: request(cn, o), signerName: "kubernetes.io/kube-apiserver-client-kubelet", usages: ["digital signature", "client auth"] },
    });
    await c.client.create(R.certificatesigningrequests, undefined, csr("node-csr-good", "system:node:agent1", ["system:nodes"]));
    await c.client.create(R.certificatesigningrequests, undefined, csr("node-csr-bad", "mallory", ["system:masters"]));
    type CSRStatus = { conditions?: { type: string; reason?: string }[]; certificate?: string };
    const good = await waitFor("signed", async () => {
      const x = await c.client.get<KubeObject & { status?: CSRStatus }>(R.certificatesigningrequests, undefined, "node-csr-good");
      return x.status?.certificate ? x.status : undefined;
    });
    assert.equal(good.conditions?.find((x) => x.type === "Approved")?.reason, "AutoApproved");
    assert.match(Buffer.from(good.certificate!, "base64").toString(), /BEGIN CERTIFICATE/);
    assert.equal(signed[0].signerName, "kubernetes.io/kube-apiserver-client-kubelet");
    assert.match(signed[0].requestPEM, /BEGIN CERTIFICATE REQUEST/);
    await new Promise((r) => setTimeout(r, 300));
    const bad = await c.client.get<KubeObject & { status?: CSRStatus }>(R.certificatesigningrequests, undefined, "node-csr-bad");
    assert.equal(bad.status?.conditions?.length ?? 0, 0, "not approved");
  });
});
