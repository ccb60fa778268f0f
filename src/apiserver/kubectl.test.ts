/** The real kubectl 1.32 against the API server: discovery, tables, CRUD, apply, selectors, watch, errors. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { configMap, kubectl, spawnKubectl, startTestServer, type TestServer } from "./testenv.ts";

describe("kubectl 1.32", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
  });
  after(async () => {
    await ts.close();
  });

  it("lists api-resources from aggregated discovery", async () => {
    const r = await kubectl(ts, ["api-resources"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
    assert.match(r.stdout, /^widgets\s+wd\s+test\.k3s\.io\/v1\s+true\s+Widget$/m);
    const legacy = await ts.request("GET", "/api/v1");
    assert.ok(legacy.json().resources.some((x: { name: string }) => x.name === "widgets/scale") === false);
    const g = (await ts.request("GET", "/apis/test.k3s.io/v1")).json();
    assert.ok(g.resources.some((x: { name: string; kind: string }) => x.name === "widgets/scale" && x.kind === "Scale"));
    const agg = await ts.request("GET", "/apis", { headers: { accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json" } });
    assert.equal(agg.headers["content-type"], "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    const v = await ts.request("GET", "/version", { as: "anonymous" });
    assert.equal(v.json().minor, "32");
  });

  it("creates from a manifest, gets tables, updates and deletes", async () => {
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k1\n  labels: {tier: web}\ndata:\n  a: "1"\n`;
    const c = await kubectl(ts, ["create", "-f", "-"], manifest);
    assert.equal(c.code, 0, c.stderr);
    const t = await kubectl(ts, ["get", "cm", "-A", "--show-labels"]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^NAMESPACE\s+NAME\s+CREATED AT\s+LABELS$/m);
    assert.match(t.stdout, /^default\s+k1\s+\S+\s+tier=web$/m);
    const wide = await kubectl(ts, ["apply", "-f", "-"], `apiVersion: test.k3s.io/v1\nkind: Widget\nmetadata: {name: w}\nspec: {replicas: 2, color: teal}\n`);
    assert.equal(wide.code, 0, wide.stderr);
    const plain = await kubectl(ts, ["get", "wd"]);
    assert.match(plain.stdout, /^NAME\s+REPLICAS$/m);
    const wideOut = await kubectl(ts, ["get", "wd", "-o", "wide"]);
    assert.match(wideOut.stdout, /^w\s+2\s+teal$/m);
    const sorted = await kubectl(ts, ["get", "cm", "--sort-by=.metadata.name", "-o", "name"]);
    assert.match(sorted.stdout, /configmap\/k1/);
    const label = await kubectl(ts, ["label", "cm", "k1", "extra=yes"]);
    assert.equal(label.code, 0, label.stderr);
    const sel = await kubectl(ts, ["get", "cm", "-l", "extra in (yes),tier", "-o", "jsonpath={.items[*].metadata.name}"]);
    assert.equal(sel.stdout, "k1");
    const fsel = await kubectl(ts, ["get", "cm", "--field-selector", "metadata.name=k1", "-o", "name"]);
    assert.equal(fsel.stdout.trim(), "configmap/k1");
    const again = await kubectl(ts, ["apply", "-f", "-"], `apiVersion: test.k3s.io/v1\nkind: Widget\nmetadata: {name: w}\nspec: {replicas: 3}\n`);
    assert.equal(again.code, 0, again.stderr);
    const w = (await ts.request("GET", "/apis/test.k3s.io/v1/namespaces/default/widgets/w")).json();
    assert.deepEqual(w.spec, { replicas: 3 }, "client-side apply removed color");
    assert.equal(w.metadata.generation, 2);
    const scale = await kubectl(ts, ["scale", "wd", "w", "--replicas=5"]);
    assert.equal(scale.code, 0, scale.stderr);
    const ssa = await kubectl(ts, ["apply", "--server-side", "-f", "-"], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {x: "1"}\n`);
    assert.equal(ssa.code, 0, ssa.stderr);
    const other = await kubectl(ts, ["apply", "--server-side", "--field-manager=other", "-f", "-"], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {x: "2"}\n`);
    assert.equal(other.code, 1, "a field another manager owns is a conflict");
    assert.match(other.stderr, /conflict/i);
    const forced = await kubectl(ts, ["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {x: "2"}\n`);
    assert.equal(forced.code, 0, forced.stderr);
    const del = await kubectl(ts, ["delete", "cm", "k1", "ssa"]);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /configmap "k1" deleted/);
    const nf = await kubectl(ts, ["get", "cm", "k1"]);
    assert.equal(nf.code, 1);
    assert.match(nf.stderr, /Error from server \(NotFound\): configmaps "k1" not found/);
  });

  it("prints Strict field validation errors and pages with --chunk-size", async () => {
    const bad = await kubectl(ts, ["create", "-f", "-"], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\nspec: {x: 1}\n`);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unknown field "spec"/);
    for (let i = 0; i < 7; i++) await ts.request("POST", "/api/v1/namespaces/default/configmaps", { body: configMap(`page-${i}`) });
    const chunked = await kubectl(ts, ["get", "cm", "--chunk-size=2", "-o", "name"]);
    assert.equal(chunked.stdout.split("\n").filter((l) => l.startsWith("configmap/page-")).length, 7);
  });

  it("streams table rows with get -w", async () => {
    const child = spawnKubectl(ts, ["get", "cm", "-w", "--output-watch-events"]);
    let out = "";
    child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    try {
      const deadline = Date.now() + 15_000;
      while (!out.includes("NAME") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await ts.request("POST", "/api/v1/namespaces/default/configmaps", { body: configMap("watched") });
      while (!/MODIFIED|ADDED\s+watched/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /ADDED\s+watched/);
    } finally {
      if (child.pid) process.kill(child.pid);
    }
  });
});
