/**
 * The built-in kinds served by the real REST core to the real kubectl 1.32:
 * discovery, protobuf creates, printing, defaults, apply of a realistic
 * manifest set (twice: the second is a no-op), refusals with field paths,
 * and 200 concurrent Service creates getting 200 distinct ClusterIPs.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kubectl, startTestServer, type TestServer } from "../apiserver/testenv.ts";
import type { KindDef } from "./kind.ts";
import { builtinKinds, builtinSchemas, decodeProtobuf, ServiceAllocators, withServiceAllocation } from "./mod.ts";
import type { KubeObject } from "./types.ts";

const settings = { serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767] as [number, number], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" };
const testdata = join(import.meta.dirname, "testdata");
let ts: TestServer;

before(async () => {
  const schemas = builtinSchemas();
  // a private allocator, so other tests in this process cannot share its addresses
  const alloc = new ServiceAllocators(settings);
  const kinds = withServiceAllocation(builtinKinds(), alloc);
  ts = await startTestServer({ kinds, schemas, cluster: settings, protobuf: (_kind: KindDef, body: Buffer) => decodeProtobuf(schemas, body) });
});

after(async () => {
  await ts?.close();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await kubectl(ts, args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

function columns(out: string): string[][] {
  return out.trim().split("\n").map((l) => l.trim().split(/\s{2,}/));
}

test("api-resources lists the kinds with upstream's short names", async () => {
  const out = await ok(["api-resources", "--no-headers"]);
  const rows = columns(out);
  const find = (name: string, version: string) => rows.find((r) => r[0] === name && r.includes(version));
  assert.deepEqual(find("pods", "v1")?.slice(0, 2), ["pods", "po"]);
  assert.deepEqual(find("deployments", "apps/v1")?.slice(0, 2), ["deployments", "deploy"]);
  assert.deepEqual(find("customresourcedefinitions", "apiextensions.k8s.io/v1")?.slice(0, 2), ["customresourcedefinitions", "crd,crds"]);
  assert.deepEqual(find("horizontalpodautoscalers", "autoscaling/v2")?.slice(0, 2), ["horizontalpodautoscalers", "hpa"]);
  assert.ok(find("priorityclasses", "scheduling.k8s.io/v1"));
  assert.ok(rows.length >= 55, `only ${rows.length} resources`);
});

test("create deployment (protobuf body) is defaulted and printed as upstream", async () => {
  await ok(["create", "deployment", "hello", "--image=nginx:1.27", "--replicas=2"]);
  const printed = columns(await ok(["get", "deploy", "hello", "-o", "wide"])).map((r) => r.join(" ")).join("\n").replace(/0 0 \d+s nginx/, "0 0 AGE nginx");
  assert.deepEqual(printed, [
    ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
    ["hello", "0/2", "0", "0", "AGE", "nginx", "nginx:1.27", "app=hello"],
  ].map((r) => r.join(" ")).join("\n").replace(/0 0 \S+ nginx/, "0 0 AGE nginx"));
  const obj = JSON.parse(await ok(["get", "deploy", "hello", "-o", "json"])) as KubeObject;
  const spec = obj.spec as Record<string, any>;
  assert.deepEqual(spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } });
  assert.equal(spec.template.spec.containers[0].imagePullPolicy, "IfNotPresent");
  assert.equal(spec.template.spec.terminationGracePeriodSeconds, 30);
});

test("services: NodePort allocation, printing, refusals with field paths", async () => {
  await ok(["create", "service", "nodeport", "hello", "--tcp=80:8080"]);
  const [row] = columns(await ok(["get", "svc", "hello", "--no-headers", "-o", "wide"]));
  assert.equal(row[1], "NodePort");
  assert.match(row[2], /^10\.43\.\d+\.\d+$/);
  assert.match(row[4], /^80:3\d{4}\/TCP$/);
  const port = Number(row[4].split(":")[1].split("/")[0]);
  const outside = await kubectl(ts, ["create", "service", "clusterip", "outside", "--tcp=80:80", "--clusterip=10.0.0.1"]);
  assert.equal(outside.code, 1);
  assert.match(outside.stderr, /spec\.clusterIPs\[0\]: Invalid value: "10\.0\.0\.1": failed to allocate IP 10\.0\.0\.1: provided IP \(10\.0\.0\.1\) is not in the valid range/);
  const dup = await kubectl(ts, ["create", "service", "nodeport", "dup", "--tcp=81:81", `--node-port=${port}`]);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, new RegExp(`spec\\.ports\\[0\\]\\.nodePort: Invalid value: ${port}: provided port is already allocated`));
  await ok(["delete", "svc", "hello"]);
  await ok(["create", "service", "nodeport", "again", "--tcp=82:82", `--node-port=${port}`]);
});

test("a realistic manifest set applies, and a second apply changes nothing", async () => {
  const file = join(testdata, "app.yaml");
  const first = await ok(["apply", "-f", file]);
  for (const what of ["configmap/web-config created", "secret/web-secret created", "deployment.apps/web created", "service/web created", "ingress.networking.k8s.io/web created",
    "horizontalpodautoscaler.autoscaling/web created", "poddisruptionbudget.policy/web created", "networkpolicy.networking.k8s.io/web-allow-http created", "statefulset.apps/db created", "cronjob.batch/backup created"]) {
    assert.ok(first.includes(what), `missing "${what}" in:\n${first}`);
  }
  // kubectl says "configured" where its 3-way patch replaces whole lists or maps that defaults
  // filled (secret stringData, PDB selector, atomic lists), as against upstream; what matters is
  // that the server finds nothing to change: no object gets a new resourceVersion
  const versions = async () => (await ok(["get", "-f", file, "-o", "jsonpath={range .items[*]}{.metadata.resourceVersion} {end}"])).trim();
  const before = await versions();
  const second = await ok(["apply", "-f", file]);
  for (const name of ["deployment.apps/web", "service/web", "configmap/web-config", "cronjob.batch/backup", "ingress.networking.k8s.io/web"]) {
    assert.ok(second.includes(`${name} unchanged`), `${name} not unchanged:\n${second}`);
  }
  assert.equal(await versions(), before);
  const diff = await kubectl(ts, ["diff", "-f", file]);
  assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  // no address yet: kubectl prints the empty ADDRESS cell as blank, so split on single spaces
  assert.match((await ok(["get", "ingress", "web", "--no-headers"])).trim(), /^web\s+traefik\s+web\.example\.com\s+80, 443\s+\d+s$/);
  assert.deepEqual(columns(await ok(["get", "hpa", "web", "--no-headers"]))[0].slice(0, 6), ["web", "Deployment/web", "cpu: <unknown>/70%", "2", "5", "0"]);
  assert.deepEqual(columns(await ok(["get", "pdb", "web", "--no-headers"]))[0].slice(0, 4), ["web", "1", "N/A", "0"]);
  assert.deepEqual(columns(await ok(["get", "cronjob", "backup", "--no-headers"]))[0].slice(0, 6), ["backup", "0 3 * * *", "<none>", "False", "0", "<none>"]);
  const secret = JSON.parse(await ok(["get", "secret", "web-secret", "-o", "json"])) as KubeObject;
  assert.deepEqual(secret.data, { password: Buffer.from("s3cret").toString("base64") });
  const sts = JSON.parse(await ok(["get", "sts", "db", "-o", "json"])) as KubeObject;
  assert.equal((sts.spec as any).volumeClaimTemplates[0].spec.volumeMode, "Filesystem");
});

test("invalid manifests are refused with 422 and the field at fault", async () => {
  const r = await kubectl(ts, ["apply", "-f", join(testdata, "invalid.yaml")]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  assert.match(r.stderr, /Pod "empty" is invalid: spec\.containers: Required value/);
  assert.match(r.stderr, /Deployment\.apps "mismatch" is invalid: spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
  const imm = await kubectl(ts, ["patch", "deploy", "web", "--type=merge", "-p", '{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}']);
  assert.notEqual(imm.code, 0);
  assert.match(imm.stderr, /spec\.selector: Invalid value: .*field is immutable/);
});

test("explain shows the schema with our descriptions", async () => {
  const out = await ok(["explain", "deployment.spec"]);
  assert.match(out, /KIND:\s+Deployment/);
  assert.match(out, /The desired behaviour of the deployment/);
  assert.doesNotMatch(out, /<no description>/);
  assert.match(out, /strategy\s+<DeploymentStrategy>/);
});

test("200 Services created concurrently get 200 distinct ClusterIPs", async () => {
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => ts.request("POST", "/api/v1/namespaces/default/services", {
    body: { apiVersion: "v1", kind: "Service", metadata: { name: `c${i}` }, spec: { ports: [{ port: 80 }] } },
  })));
  for (const r of results) assert.equal(r.status, 201, r.body.toString());
  const ips = results.map((r) => (r.json().spec as { clusterIP: string }).clusterIP);
  assert.equal(new Set(ips).size, 200);
});
