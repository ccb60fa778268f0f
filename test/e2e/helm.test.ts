/**
 * e2e: helm 3 (from the npm package's layer, unpacked by scripts/deps.sh)
 * against `k3s server --disable-agent`: install, upgrade, history, rollback
 * and uninstall of a chart with a Deployment, Service, ConfigMap and Secret
 * (test/e2e/fixtures/chart).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually, repoRoot, startServer, type RunningServer } from "./harness.ts";

const helmBin = join(repoRoot, ".cache/bin/helm");
const chart = join(repoRoot, "test/e2e/fixtures/chart");

interface Release {
  name: string;
  namespace: string;
  revision: string | number;
  status: string;
  chart: string;
}
interface HistoryEntry {
  revision: number;
  status: string;
  description: string;
}

describe("helm 3 against k3s server (--disable-agent)", { skip: existsSync(helmBin) ? false : "helm missing: run ./scripts/deps.sh" }, () => {
  let server: RunningServer;
  let helmHome: string;
  const ns = "apps";

  before(async () => {
    server = await startServer({ args: ["--disable-agent"] });
    helmHome = mkdtempSync(join(tmpdir(), "k3s-e2e-helm-"));
    assert.equal(server.kubectl(["create", "namespace", ns]).status, 0);
  });
  after(async () => {
    await server?.stop();
    if (helmHome) rmSync(helmHome, { recursive: true, force: true });
  });

  function helm(args: string[]): string {
    // helm's caches and config go to a temp home: the suite must not read or write the user's
    const env = { ...process.env, HELM_CACHE_HOME: join(helmHome, "cache"), HELM_CONFIG_HOME: join(helmHome, "config"), HELM_DATA_HOME: join(helmHome, "data") };
    const r = spawnSync(helmBin, ["--kubeconfig", server.kubeconfig, "-n", ns, ...args], { encoding: "utf8", env, timeout: 120_000 });
    assert.equal(r.status, 0, `helm ${args.join(" ")}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }
  function getJson<T>(...args: string[]): T {
    const r = server.kubectl(["-n", ns, "get", ...args, "-o", "json"]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as T;
  }
  const greeting = () => getJson<{ data: Record<string, string> }>("configmap", "shop-config").data.GREETING;
  const replicas = () => getJson<{ spec: { replicas: number } }>("deployment", "shop").spec.replicas;
  const history = () => JSON.parse(helm(["history", "shop", "-o", "json"])) as HistoryEntry[];

  it("installs the chart", () => {
    assert.match(helm(["install", "shop", chart, "--set", "password=s3cret"]), /STATUS: deployed\nREVISION: 1/);
    const releases = JSON.parse(helm(["list", "-o", "json"])) as Release[];
    assert.deepEqual(releases.map((r) => [r.name, r.status, r.chart]), [["shop", "deployed", "greeter-0.1.0"]]);
    assert.equal(greeting(), "hello");
    assert.equal(replicas(), 2);
    const secret = getJson<{ data: Record<string, string>; metadata: { labels: Record<string, string> } }>("secret", "shop-secret");
    assert.equal(Buffer.from(secret.data.PASSWORD, "base64").toString(), "s3cret");
    assert.equal(secret.metadata.labels["app.kubernetes.io/managed-by"], "Helm");
    const svc = getJson<{ spec: { clusterIP: string; ports: { port: number; targetPort: string }[] }; metadata: { annotations: Record<string, string> } }>("service", "shop");
    assert.match(svc.spec.clusterIP, /^10\.43\./);
    assert.deepEqual(svc.spec.ports.map((p) => [p.port, p.targetPort]), [[80, "http"]]);
    // helm marks what it owns
    assert.equal(svc.metadata.annotations["meta.helm.sh/release-name"], "shop");
    // the release itself is a Secret of helm's storage driver
    const stored = getJson<{ items: { metadata: { name: string } }[] }>("secrets", "-l", "owner=helm,name=shop");
    assert.deepEqual(stored.items.map((s) => s.metadata.name), ["sh.helm.release.v1.shop.v1"]);
    assert.match(helm(["status", "shop"]), /STATUS: deployed/);
  });

  it("upgrades with changed values that reach the objects", async () => {
    const before = getJson<{ spec: { template: { metadata: { annotations: Record<string, string> } } } }>("deployment", "shop");
    assert.match(helm(["upgrade", "shop", chart, "--set", "greeting=bonjour", "--set", "replicaCount=3", "--reuse-values"]), /has been upgraded/);
    assert.equal(greeting(), "bonjour");
    assert.equal(replicas(), 3);
    const after = getJson<{ spec: { template: { metadata: { annotations: Record<string, string> } } } }>("deployment", "shop");
    assert.notEqual(after.spec.template.metadata.annotations["checksum/config"], before.spec.template.metadata.annotations["checksum/config"], "the config checksum rolls the pods");
    // the password set at install survives --reuse-values
    const secret = getJson<{ data: Record<string, string> }>("secret", "shop-secret");
    assert.equal(Buffer.from(secret.data.PASSWORD, "base64").toString(), "s3cret");
    const values = JSON.parse(helm(["get", "values", "shop", "-o", "json"])) as Record<string, unknown>;
    assert.equal(values.greeting, "bonjour");
    // the deployment controller rolls a new ReplicaSet for the new template
    await eventually(() => {
      const rs = getJson<{ items: { spec: { replicas: number } }[] }>("replicasets", "-l", "app.kubernetes.io/instance=shop");
      return rs.items.length === 2;
    }, 30_000, "a second ReplicaSet");
  });

  it("lists both revisions in helm history", () => {
    const h = history();
    assert.deepEqual(h.map((e) => [e.revision, e.status, e.description]), [
      [1, "superseded", "Install complete"],
      [2, "deployed", "Upgrade complete"],
    ]);
  });

  it("rolls back to the first revision", () => {
    assert.match(helm(["rollback", "shop", "1"]), /Rollback was a success/);
    assert.equal(greeting(), "hello");
    assert.equal(replicas(), 2);
    const h = history();
    assert.deepEqual(h.map((e) => [e.revision, e.status, e.description]), [
      [1, "superseded", "Install complete"],
      [2, "superseded", "Upgrade complete"],
      [3, "deployed", "Rollback to 1"],
    ]);
  });

  it("uninstalls: the objects and the release records are gone", async () => {
    assert.match(helm(["uninstall", "shop"]), /release "shop" uninstalled/);
    await eventually(() => {
      const left = server.kubectl(["-n", ns, "get", "deployments,services,configmaps,secrets", "-l", "app.kubernetes.io/instance=shop", "-o", "name"]);
      return left.status === 0 && left.stdout.trim() === "";
    }, 30_000, "the chart's objects gone");
    const records = getJson<{ items: unknown[] }>("secrets", "-l", "owner=helm");
    assert.equal(records.items.length, 0, "helm's release secrets purged");
    assert.equal((JSON.parse(helm(["list", "-a", "-o", "json"])) as Release[]).length, 0);
    // the deployment's ReplicaSets and pods follow it through the garbage collector
    await eventually(() => getJson<{ items: unknown[] }>("replicasets,pods", "-l", "app.kubernetes.io/instance=shop").items.length === 0, 30_000, "ReplicaSets and pods gone");
  });
});
