/** The REST verbs over HTTPS against a real SQLite datastore: CRUD, conflicts, metadata, errors, selectors, paging. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { configMap, startTestServer, type TestServer } from "./testenv.ts";

const CM = "/api/v1/namespaces/default/configmaps";
const WD = "/apis/test.k3s.io/v1/namespaces/default/widgets";

describe("REST verbs", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
  });
  after(async () => {
    await ts.close();
  });

  it("creates, gets, updates and deletes a ConfigMap with upstream metadata", async () => {
    const created = await ts.request("POST", CM, { body: configMap("a", { k: "v" }) });
    assert.equal(created.status, 201, created.body.toString());
    const obj = created.json();
    assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(obj.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(obj.metadata.namespace, "default");
    assert.equal(obj.metadata.generation, undefined);
    assert.equal(obj.metadata.managedFields[0].operation, "Update");
    const got = (await ts.request("GET", `${CM}/a`)).json();
    assert.equal(got.metadata.resourceVersion, obj.metadata.resourceVersion);
    assert.deepEqual(got.data, { k: "v" });

    got.data.k = "w";
    const upd = await ts.request("PUT", `${CM}/a`, { body: got });
    assert.equal(upd.status, 200, upd.body.toString());
    assert.ok(Number(upd.json().metadata.resourceVersion) > Number(obj.metadata.resourceVersion));

    // the stale resourceVersion is now a conflict with upstream's message
    const stale = await ts.request("PUT", `${CM}/a`, { body: got });
    assert.equal(stale.status, 409);
    assert.equal(stale.json().reason, "Conflict");
    assert.equal(
      stale.json().message,
      'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    );

    const dup = await ts.request("POST", CM, { body: configMap("a") });
    assert.equal(dup.status, 409);
    assert.equal(dup.json().reason, "AlreadyExists");
    assert.equal(dup.json().message, 'configmaps "a" already exists');

    const del = await ts.request("DELETE", `${CM}/a`);
    assert.equal(del.status, 200);
    assert.equal(del.json().status, "Success");
    const gone = await ts.request("GET", `${CM}/a`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.json().details, { name: "a", kind: "configmaps" });
    assert.equal(gone.json().message, 'configmaps "a" not found');
  });

  it("names grouped resources in errors and generates names", async () => {
    const nf = await ts.request("GET", `${WD}/nope`);
    assert.equal(nf.json().message, 'widgets.test.k3s.io "nope" not found');
    assert.equal(nf.json().details.group, "test.k3s.io");
    assert.equal((await ts.request("POST", "/api/v1/configmaps", { body: configMap("x") })).status, 405);
    assert.equal((await ts.request("GET", "/api/v1/configmaps/x")).status, 404);
    assert.equal((await ts.request("GET", "/api/v1/configmaps")).status, 200);
    const made = await ts.request("POST", CM, { body: { apiVersion: "v1", kind: "ConfigMap", metadata: { generateName: "gen-" } } });
    assert.equal(made.status, 201);
    assert.match(made.json().metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("answers 422 Invalid with causes, 400 on Strict unknown fields, and warns on Warn", async () => {
    const bad = await ts.request("POST", CM, { body: configMap("bad", { "bad key": "x" }) });
    assert.equal(bad.status, 422);
    const s = bad.json();
    assert.equal(s.reason, "Invalid");
    assert.match(s.message, /^ConfigMap "bad" is invalid: data\[bad key\]: Invalid value: "bad key": a valid config key/);
    assert.equal(s.details.causes[0].field, "data[bad key]");
    assert.equal(s.details.kind, "ConfigMap");

    const label = await ts.request("POST", CM, { body: configMap("lbl", {}, { "bad key!": "v", ok: "-x" }) });
    assert.equal(label.status, 422);
    assert.deepEqual(label.json().details.causes.map((c: { field: string }) => c.field), ["metadata.labels", "metadata.labels"]);
    assert.match(label.json().message, /^ConfigMap "lbl" is invalid: \[metadata\.labels: Invalid value: "bad key!": name part must consist/);

    const strict = await ts.request("POST", `${CM}?fieldValidation=Strict`, { body: { ...configMap("s"), foo: 1, metadata: { name: "s", bar: 2 } } });
    assert.equal(strict.status, 400);
    assert.match(strict.json().message, /strict decoding error: unknown field "foo", unknown field "metadata.bar"|strict decoding error: unknown field "metadata.bar", unknown field "foo"/);
    const warn = await ts.request("POST", `${CM}?fieldValidation=Warn`, { body: { ...configMap("w"), foo: 1 } });
    assert.equal(warn.status, 201);
    assert.equal(warn.headers.warning, '299 - "unknown field \\"foo\\""');
  });

  it("bumps generation on spec changes only and splits status", async () => {
    const w = (await ts.request("POST", WD, { body: { apiVersion: "test.k3s.io/v1", kind: "Widget", metadata: { name: "w1" }, spec: { replicas: 1 }, status: { replicas: 9 } } })).json();
    assert.equal(w.metadata.generation, 1);
    w.metadata.labels = { a: "b" };
    w.status = { replicas: 5 };
    const u1 = (await ts.request("PUT", `${WD}/w1`, { body: w })).json();
    assert.equal(u1.metadata.generation, 1, "label change keeps generation");
    assert.deepEqual(u1.status, { replicas: 9 }, "status ignored on main resource");
    u1.spec.replicas = 3;
    const u2 = (await ts.request("PUT", `${WD}/w1`, { body: u1 })).json();
    assert.equal(u2.metadata.generation, 2);
    const st = await ts.request("PUT", `${WD}/w1/status`, { body: { ...u2, spec: { replicas: 100 }, status: { replicas: 3 } } });
    assert.equal(st.status, 200, st.body.toString());
    assert.equal(st.json().spec.replicas, 3, "spec ignored on status");
    assert.equal(st.json().status.replicas, 3);
    assert.equal(st.json().metadata.generation, 2);
    const scale = await ts.request("GET", `${WD}/w1/scale`);
    assert.equal(scale.json().kind, "Scale");
    assert.equal(scale.json().spec.replicas, 3);
    const patched = await ts.request("PATCH", `${WD}/w1/scale`, { body: { spec: { replicas: 7 } }, headers: { "content-type": "application/merge-patch+json" } });
    assert.equal(patched.status, 200, patched.body.toString());
    assert.equal(patched.json().spec.replicas, 7);
    assert.equal((await ts.request("GET", `${WD}/w1`)).json().spec.replicas, 7);
  });

  it("patches with merge and JSON patch, and dry-runs", async () => {
    await ts.request("POST", CM, { body: configMap("p", { a: "1" }) });
    const m = await ts.request("PATCH", `${CM}/p`, { body: { data: { b: "2", a: null } }, headers: { "content-type": "application/merge-patch+json" } });
    assert.equal(m.status, 200, m.body.toString());
    assert.deepEqual(m.json().data, { b: "2" });
    const j = await ts.request("PATCH", `${CM}/p`, { body: [{ op: "add", path: "/data/c", value: "3" }], headers: { "content-type": "application/json-patch+json" } });
    assert.deepEqual(j.json().data, { b: "2", c: "3" });
    const bad = await ts.request("PATCH", `${CM}/p`, { body: { data: {} }, headers: { "content-type": "text/plain" } });
    assert.equal(bad.status, 415);
    const dry = await ts.request("POST", `${CM}?dryRun=All`, { body: configMap("dry") });
    assert.equal(dry.status, 201);
    assert.equal((await ts.request("GET", `${CM}/dry`)).status, 404);
  });

  it("holds objects with finalizers until they are removed", async () => {
    await ts.request("POST", CM, { body: { ...configMap("f"), metadata: { name: "f", finalizers: ["test/hold"] } } });
    const del = await ts.request("DELETE", `${CM}/f`, { body: { propagationPolicy: "Foreground" } });
    assert.equal(del.status, 200);
    const held = (await ts.request("GET", `${CM}/f`)).json();
    assert.ok(held.metadata.deletionTimestamp);
    assert.deepEqual(held.metadata.finalizers, ["test/hold", "foregroundDeletion"]);
    const rel = await ts.request("PATCH", `${CM}/f`, { body: { metadata: { finalizers: null } }, headers: { "content-type": "application/merge-patch+json" } });
    assert.equal(rel.status, 200, rel.body.toString());
    assert.equal((await ts.request("GET", `${CM}/f`)).status, 404);
  });

  it("checks delete preconditions", async () => {
    const c = (await ts.request("POST", CM, { body: configMap("pre") })).json();
    const bad = await ts.request("DELETE", `${CM}/pre`, { body: { preconditions: { uid: "x" } } });
    assert.equal(bad.status, 409);
    assert.match(bad.json().message, /Precondition failed: UID in precondition: x/);
    const dry = await ts.request("DELETE", `${CM}/pre`, { body: { dryRun: ["All"] } });
    assert.equal(dry.status, 200);
    assert.equal((await ts.request("GET", `${CM}/pre`)).status, 200, "a dry-run delete keeps the object");
    const ok = await ts.request("DELETE", `${CM}/pre`, { body: { preconditions: { uid: c.metadata.uid } } });
    assert.equal(ok.status, 200);
  });

  it("refuses creates in missing and terminating namespaces", async () => {
    const missing = await ts.request("POST", "/api/v1/namespaces/nope/configmaps", { body: configMap("x") });
    assert.equal(missing.status, 404);
    assert.equal(missing.json().message, 'namespaces "nope" not found');
    await ts.request("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "term" } } });
    const d = await ts.request("DELETE", "/api/v1/namespaces/term");
    assert.equal(d.json().status.phase, "Terminating");
    const again = await ts.request("DELETE", "/api/v1/namespaces/term");
    assert.equal(again.status, 409);
    assert.match(again.json().message, /The system is ensuring all content is removed from this namespace/);
    const forbidden = await ts.request("POST", "/api/v1/namespaces/term/configmaps", { body: configMap("x") });
    assert.equal(forbidden.status, 403);
    assert.match(forbidden.json().message, /unable to create new content in namespace term because it is being terminated/);
    const fin = await ts.request("PUT", "/api/v1/namespaces/term/finalize", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "term" }, spec: { finalizers: [] } } });
    assert.equal(fin.status, 200, fin.body.toString());
    assert.equal((await ts.request("GET", "/api/v1/namespaces/term")).status, 404);
  });

  it("filters with label and field selectors", async () => {
    for (const [n, env] of [["l1", "prod"], ["l2", "dev"], ["l3", "test"]]) {
      await ts.request("POST", WD, { body: { apiVersion: "test.k3s.io/v1", kind: "Widget", metadata: { name: n, labels: { env } }, spec: { color: env === "prod" ? "red" : "blue" } } });
    }
    const names = async (q: string): Promise<string[]> => {
      const r = await ts.request("GET", `${WD}?${q}`);
      assert.equal(r.status, 200, r.body.toString());
      return r.json().items.map((i: { metadata: { name: string } }) => i.metadata.name).filter((x: string) => x.startsWith("l"));
    };
    assert.deepEqual(await names("labelSelector=env%3Dprod"), ["l1"]);
    assert.deepEqual(await names("labelSelector=env%3D%3Dprod"), ["l1"]);
    assert.deepEqual(await names("labelSelector=env!%3Dprod"), ["l2", "l3"]);
    assert.deepEqual(await names("labelSelector=env%20in%20(dev,test)"), ["l2", "l3"]);
    assert.deepEqual(await names("labelSelector=env%20notin%20(dev)"), ["l1", "l3"]);
    assert.deepEqual(await names("labelSelector=env"), ["l1", "l2", "l3"]);
    assert.deepEqual(await names("labelSelector=!env"), []);
    assert.deepEqual(await names("fieldSelector=metadata.name%3Dl2"), ["l2"]);
    assert.deepEqual(await names("fieldSelector=spec.color%3Dblue"), ["l2", "l3"]);
    assert.deepEqual(await names("fieldSelector=spec.color!%3Dblue&resourceVersion=0"), ["l1"]);
    const bad = await ts.request("GET", `${WD}?fieldSelector=spec.nope%3Dx`);
    assert.equal(bad.status, 400);
    assert.match(bad.json().message, /field label not supported: spec.nope/);
  });

  it("pages through 600 objects at one revision and expires compacted tokens", async () => {
    await ts.request("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "many" } } });
    const path = "/api/v1/namespaces/many/configmaps";
    for (let i = 0; i < 600; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => ts.request("POST", path, { body: configMap(`c${String(i + j).padStart(4, "0")}`) })));
    }
    const seen: string[] = [];
    let cont = "";
    let rv = "";
    let pages = 0;
    for (;;) {
      const r = (await ts.request("GET", `${path}?limit=250${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`)).json();
      pages++;
      if (!rv) rv = r.metadata.resourceVersion;
      assert.equal(r.metadata.resourceVersion, rv, "every page at the first page's revision");
      if (pages === 1) {
        assert.equal(r.metadata.remainingItemCount, 350);
        // a write between pages is not seen by the paged list
        await ts.request("POST", path, { body: configMap("c0000-late") });
      }
      seen.push(...r.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      cont = r.metadata.continue ?? "";
      if (!cont) break;
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 600);
    assert.equal(new Set(seen).size, 600);
    const first = (await ts.request("GET", `${path}?limit=10`)).json();
    await ts.request("POST", path, { body: configMap("after-first") });
    const cur = await ts.backend.currentRevision();
    await ts.backend.compact(cur);
    const old = await ts.request("GET", `${path}?limit=10&continue=${encodeURIComponent(first.metadata.continue)}`);
    assert.equal(old.status, 410);
    assert.equal(old.json().reason, "Expired");
  });
});
