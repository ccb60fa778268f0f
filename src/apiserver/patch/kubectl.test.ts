// Drives the real kubectl 1.32 against the API server (its HTTPS test server
// over SQLite) to check that server-side apply behaves as kubectl users see it:
// re-apply removes what was dropped, conflicts print upstream's message and exit
// 1, --force-conflicts takes over, and kubectl's own manager upgrades from
// client-side apply without conflict while another manager does conflict.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { kubectl, startTestServer, type TestServer } from "../testenv.ts";

const cm = (name: string, data: Record<string, string>): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: ${JSON.stringify(data)}\n`;

describe("server-side apply through kubectl 1.32", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
  });
  after(async () => {
    await ts.close();
  });

  const data = async (name: string): Promise<Record<string, string>> => {
    const r = await kubectl(ts, ["get", "cm", name, "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { data?: Record<string, string> }).data ?? {};
  };

  it("re-applying without a key removes it", async () => {
    const first = await kubectl(ts, ["apply", "--server-side", "-f", "-"], cm("ssa1", { a: "1", b: "2" }));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /configmap\/ssa1 serverside-applied/);
    const second = await kubectl(ts, ["apply", "--server-side", "-f", "-"], cm("ssa1", { a: "1" }));
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(await data("ssa1"), { a: "1" });
  });

  it("a field another manager set conflicts until forced", async () => {
    const created = await kubectl(ts, ["create", "-f", "-"], cm("ssa2", { key: "a" }));
    assert.equal(created.code, 0, created.stderr);
    const clash = await kubectl(ts, ["apply", "--server-side", "-f", "-"], cm("ssa2", { key: "b" }));
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /Apply failed with 1 conflict: conflict with "kubectl-create" using v1: \.data\.key/);
    assert.deepEqual(await data("ssa2"), { key: "a" });
    const forced = await kubectl(ts, ["apply", "--server-side", "--force-conflicts", "-f", "-"], cm("ssa2", { key: "b" }));
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(await data("ssa2"), { key: "b" });
  });

  it("client-side apply then server-side apply: kubectl upgrades, another manager conflicts", async () => {
    const csa = await kubectl(ts, ["apply", "-f", "-"], cm("ssa3", { key: "a" }));
    assert.equal(csa.code, 0, csa.stderr);
    const other = await kubectl(ts, ["apply", "--server-side", "--field-manager=ci", "-f", "-"], cm("ssa3", { key: "b" }));
    assert.equal(other.code, 1);
    assert.match(other.stderr, /conflict with "kubectl-client-side-apply" using v1: \.data\.key/);
    const upgrade = await kubectl(ts, ["apply", "--server-side", "-f", "-"], cm("ssa3", { key: "b" }));
    assert.equal(upgrade.code, 0, upgrade.stderr);
    assert.deepEqual(await data("ssa3"), { key: "b" });
  });

  it("client-side re-apply (a strategic merge patch) removes a key and a label; label and annotate patch", async () => {
    const v1 = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: csa1, labels: {app: web, tier: x}}\ndata: {a: "1", b: "2"}\n`;
    const v2 = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: csa1, labels: {app: web}}\ndata: {a: "1"}\n`;
    assert.equal((await kubectl(ts, ["apply", "-f", "-"], v1)).code, 0);
    const re = await kubectl(ts, ["apply", "-f", "-"], v2);
    assert.equal(re.code, 0, re.stderr);
    assert.match(re.stdout, /configmap\/csa1 configured/);
    assert.equal((await kubectl(ts, ["label", "cm", "csa1", "extra=yes"])).code, 0);
    assert.equal((await kubectl(ts, ["annotate", "cm", "csa1", "note=hi"])).code, 0);
    const got = await kubectl(ts, ["get", "cm", "csa1", "-o", "json", "--show-managed-fields"]);
    const obj = JSON.parse(got.stdout) as { data: Record<string, string>; metadata: { labels: Record<string, string>; annotations: Record<string, string>; managedFields: { manager: string }[] } };
    assert.deepEqual(obj.data, { a: "1" });
    assert.deepEqual(obj.metadata.labels, { app: "web", extra: "yes" });
    assert.equal(obj.metadata.annotations.note, "hi");
    assert.deepEqual(obj.metadata.managedFields.map((e) => e.manager).sort(), ["kubectl-annotate", "kubectl-client-side-apply", "kubectl-label"]);
  });
});
