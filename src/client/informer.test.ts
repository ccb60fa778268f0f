/**
 * The informer and the HTTPS transport against the real API server: list
 * then watch, handlers, resume after a watch ends, relist after 410 Gone
 * (datastore compacted), and the same informer over HTTPS with client certs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeObject } from "../api/types.ts";
import { startTestCluster, waitFor } from "../controllers/testenv.ts";
import { makePki } from "../apiserver/testenv.ts";
import { serveHttps } from "../apiserver/mod.ts";
import { createAuthenticator } from "../apiserver/auth/mod.ts";
import { ApiError, type Client } from "./client.ts";
import { clientFromKubeconfig } from "./https.ts";
import { Informer } from "./informer.ts";
import { SharedInformerFactory } from "./factory.ts";
import { R } from "./resources.ts";

const cm = (name: string, v: string): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: { v } });

/** The client with a switch that cuts watches, as a network outage would. */
function flakyWatches(base: Client): { client: Client; cut(): void; restore(): void } {
  let down = false;
  const open = new Set<{ stop(): void }>();
  const client: Client = {
    ...base,
    async watch(ref, ns, q) {
      if (down) throw new Error("connect ECONNREFUSED (simulated outage)");
      const w = await base.watch(ref, ns, q);
      // a watch that was being opened when the outage began is cut too
      if (down) {
        w.stop();
        throw new Error("connection reset (simulated outage)");
      }
      open.add(w);
      return w;
    },
  } as Client;
  return {
    client,
    cut() {
      down = true;
      for (const w of open) w.stop();
      open.clear();
    },
    restore() {
      down = false;
    },
  };
}

test("informer: list, watch, resume after timeouts, relist after 410 Gone", async () => {
  const c = await startTestCluster({ watchCacheCapacity: 4 });
  const net = flakyWatches(c.client);
  const inf = new Informer(net.client, R.configmaps, { namespace: "default", watchTimeoutSeconds: 1 });
  try {
    await c.client.create(R.configmaps, "default", cm("a", "1"));
    const seen: string[] = [];
    inf.addEventHandler({
      add: (o) => seen.push(`add ${o.metadata.name}`),
      update: (_o, n) => seen.push(`update ${n.metadata.name} ${(n.data as { v: string }).v}`),
      delete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    inf.start();
    await inf.waitForSync();
    assert.equal(inf.hasSynced(), true);
    assert.deepEqual(seen, ["add a"]);
    await c.client.create(R.configmaps, "default", cm("b", "1"));
    await c.client.patch(R.configmaps, "default", "a", "merge", { data: { v: "2" } });
    await c.client.delete(R.configmaps, "default", "b");
    await waitFor("watch events", async () => seen.includes("delete b"));
    assert.deepEqual(seen, ["add a", "add b", "update a 2", "delete b"]);
    // watches time out every second; the informer resumes without relisting
    await new Promise((r) => setTimeout(r, 2500));
    await c.client.patch(R.configmaps, "default", "a", "merge", { data: { v: "3" } });
    await waitFor("event after resume", async () => seen.includes("update a 3"));
    assert.equal(inf.listCount, 1, "resumed from the last resourceVersion");

    // during a short outage more changes happen than the watch window holds and the datastore
    // compacts them away: resuming gets 410 Expired, the informer relists
    net.cut();
    await Promise.all(Array.from({ length: 40 }, (_, i) => c.client.create(R.configmaps, "default", cm(`z${i}`, "1"))));
    await c.client.patch(R.configmaps, "default", "a", "merge", { data: { v: "x" } });
    await c.backend.compact(await c.backend.currentRevision());
    net.restore();
    await waitFor("relist after 410", async () => inf.listCount === 2 && inf.store.get("default/z39"));
    assert.equal(inf.expiredCount, 1, "the resumed watch was told 410 Expired");
    assert.equal((inf.store.get("default/a")?.data as { v: string }).v, "x");
    assert.ok(seen.includes("add z0") && seen.includes("update a x"));
  } finally {
    inf.stop();
    await c.close();
  }
});

test("https transport: kubeconfig with client certs, CRUD, errors, and a shared informer", async () => {
  const c = await startTestCluster();
  const dir = mkdtempSync(join(tmpdir(), "client-https-"));
  const pki = makePki(dir);
  const front = await serveHttps({
    handler: c.api.handler,
    authenticator: createAuthenticator({ clientCA: pki.caCert }),
    key: pki.serverKey,
    cert: pki.serverCert,
    clientCA: pki.caCert,
    host: "127.0.0.1",
    port: 0,
  });
  const addr = front.server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const b64 = (s: string): string => Buffer.from(s).toString("base64");
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: t
  cluster: {server: "https://127.0.0.1:${port}", certificate-authority-data: ${b64(pki.caCert)}}
users:
- name: admin
  user: {client-certificate-data: ${b64(pki.adminCert)}, client-key-data: ${b64(pki.adminKey)}}
contexts:
- name: t
  context: {cluster: t, user: admin}
current-context: t
`,
  );
  const client = clientFromKubeconfig(kubeconfig);
  const factory = new SharedInformerFactory(client);
  try {
    const created = await client.create(R.configmaps, "default", cm("h", "1"));
    assert.ok(created.metadata.uid);
    await assert.rejects(client.get(R.configmaps, "default", "nope"), (err: unknown) => err instanceof ApiError && err.code === 404 && err.reason === "NotFound");
    const inf = factory.informerFor(R.configmaps);
    assert.equal(factory.informerFor(R.configmaps), inf, "one informer per resource");
    const names: string[] = [];
    inf.addEventHandler({ add: (o) => names.push(o.metadata.name ?? ""), update: (_o, n) => names.push(`~${n.metadata.name}`) });
    factory.start();
    await factory.waitForSync();
    await client.patch(R.configmaps, "default", "h", "merge", { data: { v: "2" } });
    await waitFor("update over https", async () => names.includes("~h"));
    const list = await client.list(R.configmaps, "default", { labelSelector: "" });
    assert.ok(list.metadata.resourceVersion);
    await client.delete(R.configmaps, "default", "h");
  } finally {
    factory.stop();
    await front.close();
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
