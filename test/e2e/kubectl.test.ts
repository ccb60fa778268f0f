/**
 * e2e: the real kubectl (1.32 through the dispatcher, and every 1.27-1.33)
 * against `k3s server --disable-agent`: the API machinery (issue 4) and the
 * built-in kinds (issue 5) as a kubectl user meets them.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { eventually, repoRoot, startServer, type RunningServer } from "./harness.ts";
import { pool, registerNode, restClient, type Rest } from "./fixtures/rest.ts";

interface Meta {
  name: string;
  namespace?: string;
  resourceVersion: string;
  uid: string;
  generation?: number;
  labels?: Record<string, string>;
  finalizers?: string[];
  deletionTimestamp?: string;
}
interface Obj {
  metadata: Meta;
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}
interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
}
interface DeploymentObj extends Obj {
  spec: { replicas: number; template: { spec: { containers: Container[] } } };
}
interface Status {
  kind: string;
  code: number;
  reason: string;
  details?: { causes?: { field?: string }[] };
}

const fixtures = join(repoRoot, "test/e2e/fixtures");
const sdkBin = "/usr/lib/google-cloud-sdk/bin";

describe("kubectl against k3s server (--disable-agent)", () => {
  let server: RunningServer;
  let rest: Rest;
  let renew: () => Promise<void>;
  let renewTimer: NodeJS.Timeout | undefined;
  const ns = "kt";

  before(async () => {
    server = await startServer({ args: ["--disable-agent"] });
    rest = restClient(server.kubeconfig);
    renew = await registerNode(rest, "node-a");
    renewTimer = setInterval(() => void renew().catch(() => undefined), 10_000);
    ok(k(["create", "namespace", ns]));
  });
  after(async () => {
    clearInterval(renewTimer);
    await server?.stop();
  });

  /** kubectl (1.32 through the dispatcher) in the test namespace unless the args name another. */
  function k(args: string[], input?: string) {
    return server.kubectl(args.includes("-n") || args.includes("-A") ? args : ["-n", ns, ...args], input);
  }
  function ok(r: { status: number; stdout: string; stderr: string }): string {
    assert.equal(r.status, 0, `kubectl failed: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }
  function getJson<T = Obj>(...args: string[]): T {
    return JSON.parse(ok(k(["get", ...args, "-o", "json"]))) as T;
  }
  /** kubectl of one version, straight (not through the dispatcher). */
  function kv(minor: number, args: string[], input?: string) {
    const r = spawnSync(join(sdkBin, `kubectl.1.${minor}`), ["--kubeconfig", server.kubeconfig, ...args], { input, encoding: "utf8", timeout: 120_000 });
    return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  }
  function headerOf(out: string): string[] {
    return out.split("\n")[0].trim().split(/\s{2,}/);
  }

  describe("ConfigMap and Deployment basics", () => {
    it("creates, reads, lists, updates and deletes a ConfigMap", () => {
      ok(k(["create", "configmap", "basic", "--from-literal=a=1"]));
      const cm = getJson("configmap", "basic");
      assert.deepEqual(cm.data, { a: "1" });
      assert.match(cm.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.match(ok(k(["get", "configmaps", "-o", "name"])), /configmap\/basic\n/);
      cm.data = { a: "2", b: "3" };
      ok(k(["replace", "-f", "-"], JSON.stringify(cm)));
      const updated = getJson("configmap", "basic");
      assert.deepEqual(updated.data, { a: "2", b: "3" });
      assert.ok(Number(updated.metadata.resourceVersion) > Number(cm.metadata.resourceVersion));
      ok(k(["delete", "configmap", "basic"]));
      const gone = k(["get", "configmap", "basic"]);
      assert.notEqual(gone.status, 0);
      assert.match(gone.stderr, /configmaps "basic" not found/);
    });

    it("patches a ConfigMap with json, merge and strategic patches", () => {
      ok(k(["create", "configmap", "patched", "--from-literal=a=1", "--from-literal=gone=x"]));
      ok(k(["patch", "configmap", "patched", "--type", "json", "-p", '[{"op":"add","path":"/data/b","value":"2"},{"op":"remove","path":"/data/gone"}]']));
      ok(k(["patch", "configmap", "patched", "--type", "merge", "-p", '{"data":{"c":"3","a":null}}']));
      ok(k(["patch", "configmap", "patched", "--type", "strategic", "-p", '{"data":{"d":"4"},"metadata":{"labels":{"p":"s"}}}']));
      const cm = getJson("configmap", "patched");
      assert.deepEqual(cm.data, { b: "2", c: "3", d: "4" });
      assert.equal(cm.metadata.labels?.p, "s");
      // a json-patch test op that fails refuses the whole patch
      const bad = k(["patch", "configmap", "patched", "--type", "json", "-p", '[{"op":"test","path":"/data/b","value":"nope"},{"op":"add","path":"/data/e","value":"5"}]']);
      assert.notEqual(bad.status, 0);
      assert.equal(getJson("configmap", "patched").data?.e, undefined);
    });

    it("creates, patches (each type) and deletes a Deployment", () => {
      ok(k(["create", "deployment", "web", "--image=nginx:1.27", "--replicas=2"]));
      ok(k(["set", "env", "deployment/web", "A=1", "B=2"]));
      let d = getJson<DeploymentObj>("deployment", "web");
      assert.equal(d.metadata.generation, 2);
      // strategic: containers merge by name, env by name
      ok(k(["patch", "deployment", "web", "--type", "strategic", "-p", '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"C","value":"3"}]}]}}}}']));
      d = getJson<DeploymentObj>("deployment", "web");
      assert.deepEqual(d.spec.template.spec.containers[0].env?.map((e) => e.name), ["C", "A", "B"]);
      assert.equal(d.spec.template.spec.containers[0].image, "nginx:1.27");
      // merge: lists replace whole
      ok(k(["patch", "deployment", "web", "--type", "merge", "-p", '{"spec":{"replicas":3}}']));
      ok(k(["patch", "deployment", "web", "--type", "json", "-p", '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.28"}]']));
      d = getJson<DeploymentObj>("deployment", "web");
      assert.equal(d.spec.replicas, 3);
      assert.equal(d.spec.template.spec.containers[0].image, "nginx:1.28");
      // one generation per spec change (create, set env, three patches); the controller's status writes add none
      assert.equal(d.metadata.generation, 5);
      ok(k(["delete", "deployment", "web"]));
      assert.notEqual(k(["get", "deployment", "web"]).status, 0);
    });

    it("refuses a replace with a stale resourceVersion (409 Conflict)", () => {
      ok(k(["create", "configmap", "stale", "--from-literal=a=1"]));
      const old = getJson("configmap", "stale");
      ok(k(["label", "configmap", "stale", "touched=yes"]));
      old.data = { a: "old" };
      const r = k(["replace", "-f", "-", "-v=6"], JSON.stringify(old));
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /409 Conflict/);
      assert.match(r.stderr, /Operation cannot be fulfilled on configmaps "stale": the object has been modified/);
      assert.deepEqual(getJson("configmap", "stale").data, { a: "1" });
    });

    it("keeps an object with finalizers until they are removed", async () => {
      ok(k(["create", "configmap", "held", "--from-literal=a=1"]));
      ok(k(["patch", "configmap", "held", "--type", "merge", "-p", '{"metadata":{"finalizers":["example.com/hold"]}}']));
      ok(k(["delete", "configmap", "held", "--wait=false"]));
      const held = getJson("configmap", "held");
      assert.ok(held.metadata.deletionTimestamp, "deletionTimestamp set");
      assert.deepEqual(held.metadata.finalizers, ["example.com/hold"]);
      // still there a moment later
      await new Promise((r) => setTimeout(r, 1000));
      ok(k(["get", "configmap", "held"]));
      ok(k(["patch", "configmap", "held", "--type", "json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]']));
      await eventually(() => k(["get", "configmap", "held"]).status !== 0, 10_000, "held configmap gone");
    });

    it("selects by labels and fields", () => {
      for (const [name, tier] of [["sel-a", "web"], ["sel-b", "db"], ["sel-c", ""]]) {
        ok(k(["create", "configmap", name, "--from-literal=x=y"]));
        if (tier) ok(k(["label", "configmap", name, `tier=${tier}`]));
      }
      const names = (sel: string[]) => ok(k(["get", "configmaps", ...sel, "-o", "name"])).split("\n").filter((l) => l.startsWith("configmap/sel-")).sort();
      assert.deepEqual(names(["-l", "tier=web"]), ["configmap/sel-a"]);
      assert.deepEqual(names(["-l", "tier==web"]), ["configmap/sel-a"]);
      assert.deepEqual(names(["-l", "tier!=web"]), ["configmap/sel-b", "configmap/sel-c"]);
      assert.deepEqual(names(["-l", "tier in (web,db)"]), ["configmap/sel-a", "configmap/sel-b"]);
      assert.deepEqual(names(["-l", "tier notin (web)"]), ["configmap/sel-b", "configmap/sel-c"]);
      assert.deepEqual(names(["-l", "tier"]), ["configmap/sel-a", "configmap/sel-b"]);
      assert.deepEqual(names(["-l", "!tier"]), ["configmap/sel-c"]);
      assert.deepEqual(names(["--field-selector", "metadata.name=sel-b"]), ["configmap/sel-b"]);
      assert.deepEqual(names(["--field-selector", "metadata.name!=sel-b", "-l", "tier"]), ["configmap/sel-a"]);
      const all = ok(k(["get", "configmaps", "-A", "--field-selector", `metadata.namespace=${ns},metadata.name=sel-a`, "-o", "name"]));
      assert.equal(all.trim(), "configmap/sel-a");
      const badField = k(["get", "configmaps", "--field-selector", "spec.nope=x"]);
      assert.notEqual(badField.status, 0);
      assert.match(badField.stderr, /field label not supported/);
    });

    it("pages through 520 objects with --chunk-size", async () => {
      ok(k(["create", "namespace", "pages"]));
      const made = await pool(Array.from({ length: 520 }, (_, i) => i), 16, (i) =>
        rest("POST", "/api/v1/namespaces/pages/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${String(i).padStart(3, "0")}` }, data: { i: String(i) } }),
      );
      assert.deepEqual([...new Set(made.map((r) => r.status))], [201]);
      const r = k(["-n", "pages", "get", "configmaps", "--chunk-size=50", "-o", "name", "-v=6"]);
      ok(r);
      const names = r.stdout.split("\n").filter((l) => l.startsWith("configmap/cm-"));
      assert.equal(names.length, 520);
      assert.equal(new Set(names).size, 520);
      const requests = r.stderr.split("\n").filter((l) => /GET .*configmaps\?.*limit=50/.test(l));
      assert.equal(requests.length, 11, "521 objects (with kube-root-ca.crt) in pages of 50");
      assert.ok(requests.slice(1).every((l) => /continue=/.test(l)), "pages after the first carry continue");
      // a table across chunks still prints every row once
      const rows = ok(k(["-n", "pages", "get", "configmaps", "--chunk-size=100", "--no-headers"])).trim().split("\n");
      assert.equal(rows.length, 521);
      ok(k(["delete", "namespace", "pages", "--wait=false"]));
    });

    it("sees an update through kubectl get -w", async () => {
      ok(k(["create", "configmap", "watched", "--from-literal=a=1"]));
      const child = spawn("kubectl", ["--kubeconfig", server.kubeconfig, "-n", ns, "get", "configmap", "watched", "-w", "--output-watch-events"], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      try {
        await eventually(() => /ADDED\s+watched\s+1\s/.test(out), 20_000, "the initial ADDED row");
        ok(k(["patch", "configmap", "watched", "--type", "merge", "-p", '{"data":{"b":"2"}}']));
        await eventually(() => /MODIFIED\s+watched\s+2\s/.test(out), 20_000, `a MODIFIED row with 2 keys (got ${out})`);
        ok(k(["delete", "configmap", "watched"]));
        await eventually(() => /DELETED\s+watched\s/.test(out), 20_000, "a DELETED row");
      } finally {
        child.kill();
      }
    });
  });

  describe("apply", () => {
    const deployment = (env: { name: string; value: string }[], minReadySeconds?: number) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: applied
  labels: {app: applied}
spec:
  replicas: 1
${minReadySeconds === undefined ? "" : `  minReadySeconds: ${minReadySeconds}\n`}  selector: {matchLabels: {app: applied}}
  template:
    metadata: {labels: {app: applied}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        env: ${JSON.stringify(env)}
`;

    it("removes a field (and a list item) dropped from the manifest on re-apply", () => {
      assert.match(ok(k(["apply", "-f", "-"], deployment([{ name: "A", value: "1" }, { name: "B", value: "2" }], 5))), /deployment.apps\/applied created/);
      let d = getJson<DeploymentObj & { spec: { minReadySeconds?: number } }>("deployment", "applied");
      assert.equal(d.spec.minReadySeconds, 5);
      assert.deepEqual(d.spec.template.spec.containers[0].env?.map((e) => e.name), ["A", "B"]);
      const second = deployment([{ name: "A", value: "1" }]);
      assert.match(ok(k(["apply", "-f", "-"], second)), /deployment.apps\/applied configured/);
      d = getJson<DeploymentObj & { spec: { minReadySeconds?: number } }>("deployment", "applied");
      assert.equal(d.spec.minReadySeconds, undefined, "minReadySeconds dropped from the manifest is gone");
      assert.deepEqual(d.spec.template.spec.containers[0].env?.map((e) => e.name), ["A"]);
      assert.match(ok(k(["apply", "-f", "-"], second)), /deployment.apps\/applied unchanged/);
    });

    it("reports a server-side apply conflict and takes the field with --force-conflicts", () => {
      ok(k(["create", "configmap", "ssa", "--from-literal=k=v1"]));
      const manifest = (v: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa"},"data":{"k":"${v}","mine":"yes"}}`;
      const conflict = k(["apply", "--server-side", "-f", "-"], manifest("v2"));
      assert.notEqual(conflict.status, 0);
      assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl-create".*\.data\.k/);
      assert.equal(getJson("configmap", "ssa").data?.k, "v1");
      ok(k(["apply", "--server-side", "--force-conflicts", "-f", "-"], manifest("v2")));
      assert.deepEqual(getJson("configmap", "ssa").data, { k: "v2", mine: "yes" });
      // now another manager conflicts with kubectl's apply
      const other = k(["apply", "--server-side", "--field-manager=other", "-f", "-"], manifest("v3"));
      assert.notEqual(other.status, 0);
      assert.match(other.stderr, /conflicts? with "kubectl"/);
      ok(k(["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"], manifest("v3")));
      const cm = JSON.parse(ok(k(["get", "configmap", "ssa", "-o", "json", "--show-managed-fields"]))) as { data: Record<string, string>; metadata: { managedFields: { manager: string; operation: string; fieldsV1: { "f:data"?: Record<string, unknown> } }[] } };
      assert.equal(cm.data.k, "v3");
      const other3 = cm.metadata.managedFields.find((f) => f.manager === "other");
      assert.equal(other3?.operation, "Apply");
      assert.ok(other3?.fieldsV1["f:data"]?.["f:k"], "other owns data.k");
      const kubectlMf = cm.metadata.managedFields.find((f) => f.manager === "kubectl");
      assert.equal(kubectlMf?.fieldsV1["f:data"]?.["f:k"], undefined, "kubectl lost data.k");
      // a field stays while any applier still owns it, and goes when the last one drops it
      ok(k(["apply", "--server-side", "-f", "-"], `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa"},"data":{"k":"v3"}}`));
      assert.deepEqual(getJson("configmap", "ssa").data, { k: "v3", mine: "yes" });
      ok(k(["apply", "--server-side", "--field-manager=other", "-f", "-"], `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa"},"data":{"k":"v3"}}`));
      assert.deepEqual(getJson("configmap", "ssa").data, { k: "v3" });
    });

    it("silently takes over fields from client-side apply as upstream does", () => {
      ok(k(["apply", "-f", "-"], `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"csa"},"data":{"k":"v1"}}`));
      ok(k(["apply", "--server-side", "-f", "-"], `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"csa"},"data":{"k":"v2"}}`));
      assert.equal(getJson("configmap", "csa").data?.k, "v2");
    });

    it("applies the realistic app twice: every object unchanged the second time", () => {
      ok(k(["create", "namespace", "shop"]));
      const file = join(fixtures, "app.yaml");
      const first = ok(k(["-n", "shop", "apply", "-f", file]));
      const kinds = [
        "configmap/shop-config", "secret/shop-secret", "deployment.apps/shop", "service/shop", "ingress.networking.k8s.io/shop",
        "horizontalpodautoscaler.autoscaling/shop", "poddisruptionbudget.policy/shop", "networkpolicy.networking.k8s.io/shop-allow-web",
        "service/db", "statefulset.apps/db", "cronjob.batch/shop-report",
      ];
      for (const kind of kinds) assert.match(first, new RegExp(`${kind.replace(/\./g, "\\.")} created`));
      const before = ok(k(["-n", "shop", "get", ...kinds, "-o", "jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}{\"\\n\"}{end}"]));
      const second = ok(k(["-n", "shop", "apply", "-f", file]));
      // kubectl's own 3-way diff re-sends two fields on every apply against upstream too: a PDB's selector
      // (patchStrategy=replace) and a StatefulSet's volumeClaimTemplates (the server adds status and
      // volumeMode); the server must still find nothing to change
      const resent = new Set(["poddisruptionbudget.policy/shop", "statefulset.apps/db"]);
      for (const kind of kinds) {
        assert.match(second, new RegExp(`${kind.replace(/\./g, "\\.")} ${resent.has(kind) ? "(unchanged|configured)" : "unchanged"}`));
      }
      const afterRv = ok(k(["-n", "shop", "get", ...kinds, "-o", "jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}{\"\\n\"}{end}"]));
      assert.equal(afterRv, before, "no object was written by the second apply");
    });
  });

  describe("printing and discovery", () => {
    before(() => {
      ok(k(["create", "deployment", "printed", "--image=nginx:1.27", "--replicas=1"]));
      ok(k(["create", "service", "clusterip", "printed", "--tcp=80:8080"]));
    });

    it("prints -o wide tables with upstream's columns", async () => {
      assert.deepEqual(headerOf(ok(k(["get", "deployments", "-o", "wide"]))), ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]);
      assert.match(ok(k(["get", "deployment", "printed", "-o", "wide"])), /printed\s+0\/1\s+1\s+0\s+\S+\s+nginx\s+nginx:1\.27\s+app=printed/);
      assert.deepEqual(headerOf(ok(k(["get", "services", "-o", "wide"]))), ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]);
      assert.match(ok(k(["get", "service", "printed", "-o", "wide"])), /printed\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+\s+app=printed/);
      assert.deepEqual(headerOf(ok(k(["get", "nodes", "-o", "wide"]))), ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]);
      assert.match(ok(k(["get", "node", "node-a", "-o", "wide"])), /node-a\s+Ready\s+<none>\s+\S+\s+v1\.32\.0\s+10\.0\.0\.\d+\s+<none>\s+Debian GNU\/Linux 12 \(bookworm\)\s+6\.1\.0-test\s+containerd:\/\/1\.7\.0/);
      await eventually(() => /printed-\S+\s+0\/1\s+Pending/.test(k(["get", "pods"]).stdout), 20_000, "the printed deployment's pod");
      assert.deepEqual(headerOf(ok(k(["get", "pods", "-o", "wide"]))), ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
      // the pod is bound to the only node by the scheduler
      await eventually(() => /printed-\S+\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+node-a\s+<none>\s+<none>/.test(k(["get", "pods", "-o", "wide"]).stdout), 20_000, "the pod bound to node-a");
      assert.match(ok(k(["get", "pods", "--show-labels"])), /printed-\S+.*app=printed,pod-template-hash=/);
      ok(k(["create", "job", "printed-job", "--image=busybox", "--", "true"]));
      assert.deepEqual(headerOf(ok(k(["get", "jobs"]))), ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]);
      ok(k(["create", "ingress", "printed", "--rule=printed.example.com/*=printed:80"]));
      assert.match(ok(k(["get", "ingress", "printed"])), /NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\nprinted\s+<none>\s+printed\.example\.com\s+80\s+/);
      // -A adds NAMESPACE from the rows' metadata
      assert.match(ok(k(["get", "deployments", "-A"])), new RegExp(`NAMESPACE\\s+NAME\\s+READY[^\\n]*\\n(.*\\n)*${ns}\\s+printed\\s+0/1`));
      // --sort-by asks for whole objects in the rows
      ok(k(["get", "pods", "-A", "--sort-by=.metadata.name"]));
    });

    it("derives the pod STATUS column from the status a kubelet posts", () => {
      const pod = (name: string, status: Record<string, unknown>) => {
        ok(k(["run", name, "--image=busybox", "--restart=Never", "--overrides", '{"spec":{"nodeName":"node-a"}}']));
        ok(k(["patch", "pod", name, "--subresource=status", "--type=merge", "-p", JSON.stringify({ status })]));
      };
      const cs = (name: string, extra: Record<string, unknown>) => [{ name, image: "busybox", imageID: "", ready: false, restartCount: 0, ...extra }];
      pod("st-creating", { phase: "Pending", containerStatuses: cs("st-creating", { state: { waiting: { reason: "ContainerCreating" } } }) });
      pod("st-crash", { phase: "Running", containerStatuses: cs("st-crash", { restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } }) });
      pod("st-done", { phase: "Succeeded", containerStatuses: cs("st-done", { state: { terminated: { exitCode: 0, reason: "Completed" } } }) });
      // a client that sets only the singular podIP (as older kubelets do) still gets the IP printed
      pod("st-run", { phase: "Running", podIP: "10.42.7.7", conditions: [{ type: "Ready", status: "True" }], containerStatuses: cs("st-run", { ready: true, state: { running: {} } }) });
      const out = ok(k(["get", "pods", "-o", "wide"]));
      assert.match(out, /st-creating\s+0\/1\s+ContainerCreating\s+0\s/);
      assert.match(out, /st-crash\s+0\/1\s+CrashLoopBackOff\s+4\s/);
      assert.match(out, /st-done\s+0\/1\s+Completed\s+0\s/);
      assert.match(out, /st-run\s+1\/1\s+Running\s+0\s+\S+\s+10\.42\.7\.7\s+node-a\s/);
      ok(k(["delete", "pod", "st-run", "--wait=false"]));
      assert.match(ok(k(["get", "pod", "st-run"])), /st-run\s+1\/1\s+Terminating\s/);
    });

    it("lists the workloads with kubectl get all", () => {
      const out = ok(k(["get", "all"]));
      for (const re of [/pod\/printed-/, /service\/printed\s+ClusterIP/, /deployment\.apps\/printed\s+0\/1/, /replicaset\.apps\/printed-\w+\s+1\s+1\s+0/, /job\.batch\/printed-job/]) assert.match(out, re);
    });

    it("explains deployment.spec.strategy", () => {
      const out = ok(k(["explain", "deployment.spec.strategy"]));
      assert.match(out, /GROUP:\s+apps/);
      assert.match(out, /KIND:\s+Deployment/);
      assert.match(out, /VERSION:\s+v1/);
      assert.match(out, /FIELD: strategy <DeploymentStrategy>/);
      assert.match(out, /rollingUpdate\s+<RollingUpdateDeployment>/);
      assert.match(out, /type\s+<string>/);
      assert.match(out, /enum: Recreate, RollingUpdate/);
      const rec = ok(k(["explain", "deployment.spec.strategy.rollingUpdate"]));
      assert.match(rec, /FIELD: rollingUpdate <RollingUpdateDeployment>/);
      assert.match(rec, /maxSurge\s+<\w+>/);
      assert.match(rec, /maxUnavailable\s+<\w+>/);
    });

    it("lists api-resources with upstream's short names", () => {
      const out = ok(k(["api-resources"]));
      const rows = new Map(out.split("\n").slice(1).filter(Boolean).map((l) => {
        const cols = l.trim().split(/\s+/);
        return [`${cols[0]}.${cols.at(-3)}`, cols] as const;
      }));
      const short = (resource: string, apiVersion: string) => {
        const cols = rows.get(`${resource}.${apiVersion}`);
        assert.ok(cols, `${resource} (${apiVersion}) listed`);
        return cols.length === 5 ? cols[1] : "";
      };
      const expected: [string, string, string][] = [
        ["pods", "v1", "po"], ["deployments", "apps/v1", "deploy"], ["services", "v1", "svc"], ["configmaps", "v1", "cm"],
        ["namespaces", "v1", "ns"], ["nodes", "v1", "no"], ["serviceaccounts", "v1", "sa"], ["replicasets", "apps/v1", "rs"],
        ["daemonsets", "apps/v1", "ds"], ["statefulsets", "apps/v1", "sts"], ["cronjobs", "batch/v1", "cj"],
        ["ingresses", "networking.k8s.io/v1", "ing"], ["persistentvolumeclaims", "v1", "pvc"], ["persistentvolumes", "v1", "pv"],
        ["endpoints", "v1", "ep"], ["events", "v1", "ev"], ["replicationcontrollers", "v1", "rc"], ["limitranges", "v1", "limits"],
        ["resourcequotas", "v1", "quota"], ["horizontalpodautoscalers", "autoscaling/v2", "hpa"], ["poddisruptionbudgets", "policy/v1", "pdb"],
        ["networkpolicies", "networking.k8s.io/v1", "netpol"], ["storageclasses", "storage.k8s.io/v1", "sc"], ["priorityclasses", "scheduling.k8s.io/v1", "pc"],
        ["customresourcedefinitions", "apiextensions.k8s.io/v1", "crd,crds"], ["certificatesigningrequests", "certificates.k8s.io/v1", "csr"],
        ["componentstatuses", "v1", "cs"], ["jobs", "batch/v1", ""], ["secrets", "v1", ""], ["leases", "coordination.k8s.io/v1", ""],
        ["endpointslices", "discovery.k8s.io/v1", ""], ["clusterroles", "rbac.authorization.k8s.io/v1", ""], ["controllerrevisions", "apps/v1", ""],
      ];
      for (const [res, gv, sn] of expected) assert.equal(short(res, gv), sn, `${res} short names`);
      for (const [name, sn] of [["po", "pods"], ["deploy", "deployments"], ["sts", "statefulsets"], ["cj", "cronjobs"], ["ns", "namespaces"]] as const) {
        assert.equal(k(["get", name, "-o", "name"]).status, 0, `kubectl get ${name} (${sn})`);
      }
    });

    it("describes a deployment", () => {
      const out = ok(k(["describe", "deployment", "printed"]));
      for (const re of [
        /^Name:\s+printed$/m, new RegExp(`^Namespace:\\s+${ns}$`, "m"), /^Selector:\s+app=printed$/m,
        /^Replicas:\s+1 desired \| 1 updated \| 1 total \| 0 available \| 1 unavailable$/m, /^StrategyType:\s+RollingUpdate$/m,
        /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m, /Image:\s+nginx:1\.27/, /Progressing\s+True\s+(NewReplicaSetAvailable|ReplicaSetUpdated)/,
        /^NewReplicaSet:\s+printed-\w+ \(1\/1 replicas created\)$/m, /ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set printed-\w+ to 1/,
      ]) assert.match(out, re);
    });
  });

  describe("kubectl create (protobuf bodies) and auth", () => {
    it("creates each kind with kubectl create", () => {
      ok(k(["create", "namespace", "made"]));
      const m = (args: string[]) => ok(k(["-n", "made", "create", ...args]));
      assert.match(m(["configmap", "c", "--from-literal=a=b"]), /configmap\/c created/);
      assert.match(m(["secret", "generic", "s", "--from-literal=p=q"]), /secret\/s created/);
      assert.match(m(["serviceaccount", "sa"]), /serviceaccount\/sa created/);
      assert.match(m(["deployment", "d", "--image=busybox", "--replicas=2", "--port=8080"]), /deployment.apps\/d created/);
      assert.match(m(["job", "j", "--image=busybox", "--", "echo", "hi"]), /job.batch\/j created/);
      assert.match(m(["cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *", "--", "date"]), /cronjob.batch\/cj created/);
      assert.match(m(["service", "clusterip", "svc", "--tcp=80:8080"]), /service\/svc created/);
      assert.match(m(["role", "r", "--verb=get,list", "--resource=pods"]), /role.rbac.authorization.k8s.io\/r created/);
      assert.match(m(["rolebinding", "rb", "--role=r", "--serviceaccount=made:sa"]), /rolebinding.rbac.authorization.k8s.io\/rb created/);
      const n = JSON.parse(ok(k(["get", "namespace", "made", "-o", "json"]))) as Obj & { status: { phase: string } };
      assert.equal(n.status.phase, "Active");
      const s = JSON.parse(ok(k(["-n", "made", "get", "secret", "s", "-o", "json"]))) as { data: Record<string, string>; type: string };
      assert.equal(Buffer.from(s.data.p, "base64").toString(), "q");
      assert.equal(s.type, "Opaque");
      const d = JSON.parse(ok(k(["-n", "made", "get", "deployment", "d", "-o", "json"]))) as { spec: { replicas: number; template: { spec: { containers: { image: string; ports: { containerPort: number }[] }[] } } } };
      assert.equal(d.spec.replicas, 2);
      assert.equal(d.spec.template.spec.containers[0].ports[0].containerPort, 8080);
      const j = JSON.parse(ok(k(["-n", "made", "get", "job", "j", "-o", "json"]))) as { spec: { template: { spec: { containers: { command: string[] }[]; restartPolicy: string } } } };
      assert.deepEqual(j.spec.template.spec.containers[0].command, ["echo", "hi"]);
      assert.equal(j.spec.template.spec.restartPolicy, "Never");
      const svc = JSON.parse(ok(k(["-n", "made", "get", "service", "svc", "-o", "json"]))) as { spec: { ports: { port: number; targetPort: number }[]; clusterIP: string } };
      assert.equal(svc.spec.ports[0].targetPort, 8080);
      assert.match(svc.spec.clusterIP, /^10\.43\./);
      const rb = JSON.parse(ok(k(["-n", "made", "get", "rolebinding", "rb", "-o", "json"]))) as { subjects: { kind: string; name: string; namespace: string }[]; roleRef: { kind: string; name: string } };
      // no apiGroup: upstream's default for a ServiceAccount subject is "", omitted in JSON
      assert.deepEqual(rb.subjects, [{ kind: "ServiceAccount", name: "sa", namespace: "made" }]);
      assert.equal(rb.roleRef.name, "r");
      assert.equal(ok(k(["-n", "made", "auth", "can-i", "list", "pods", "--as=system:serviceaccount:made:sa"])).trim(), "yes");
      assert.equal(k(["-n", "made", "auth", "can-i", "delete", "pods", "--as=system:serviceaccount:made:sa"]).stdout.trim(), "no");
    });

    it("answers kubectl auth whoami", () => {
      const out = ok(k(["auth", "whoami"]));
      assert.match(out, /Username\s+system:admin/);
      assert.match(out, /Groups\s+\[system:masters system:authenticated\]/);
    });
  });

  describe("bad input", () => {
    /** Creates through kubectl and returns its -v=6 trace and the error. */
    function refused(args: string[], input: string | undefined, field: string) {
      const r = k([...args, "-v=6"], input);
      assert.notEqual(r.status, 0, `${args.join(" ")} was accepted`);
      assert.match(r.stderr, /\s422 Unprocessable Entity/, `422 for ${args.join(" ")}: ${r.stderr.slice(-500)}`);
      assert.ok(r.stderr.includes(`is invalid: ${field}`) || r.stderr.includes(` ${field}: `), `${field} named: ${r.stderr.slice(-500)}`);
    }
    const dep = (name: string, selector: string, labels: string, containers: string) =>
      `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"${name}"},"spec":{"selector":{"matchLabels":${selector}},"template":{"metadata":{"labels":${labels}},"spec":{"containers":${containers}}}}}`;

    it("refuses a bad name", () => {
      refused(["create", "-f", "-"], '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}', "metadata.name");
      refused(["create", "configmap", "no.dots.in-a-service-name.."], undefined, "metadata.name");
      refused(["create", "-f", "-"], '{"apiVersion":"v1","kind":"Service","metadata":{"name":"a.b"},"spec":{"ports":[{"port":80}]}}', "metadata.name");
    });

    it("refuses a Deployment without containers or with a selector that misses its template", () => {
      refused(["create", "-f", "-"], dep("nocontainers", '{"a":"b"}', '{"a":"b"}', "[]"), "spec.template.spec.containers");
      refused(["create", "-f", "-"], dep("mismatch", '{"a":"b"}', '{"a":"c"}', '[{"name":"c","image":"i"}]'), "spec.template.metadata.labels");
      assert.notEqual(k(["get", "deployment", "nocontainers"]).status, 0);
    });

    it("refuses changes to immutable fields", () => {
      ok(k(["create", "-f", "-"], dep("immutable", '{"a":"b"}', '{"a":"b"}', '[{"name":"c","image":"i"}]')));
      refused(["patch", "deployment", "immutable", "--type", "merge", "-p", '{"spec":{"selector":{"matchLabels":{"a":"z"}},"template":{"metadata":{"labels":{"a":"z"}}}}}'], undefined, "spec.selector");
      ok(k(["create", "job", "immutable", "--image=busybox", "--", "true"]));
      refused(["patch", "job", "immutable", "--type", "json", "-p", '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"other"}]'], undefined, "spec.template");
      ok(k(["create", "configmap", "frozen", "--from-literal=a=b"]));
      ok(k(["patch", "configmap", "frozen", "--type", "merge", "-p", '{"immutable":true}']));
      refused(["patch", "configmap", "frozen", "--type", "merge", "-p", '{"data":{"a":"c"}}'], undefined, "data");
    });

    it("refuses a Service clusterIP change", () => {
      ok(k(["create", "service", "clusterip", "fixed-ip", "--tcp=80:80"]));
      refused(["patch", "service", "fixed-ip", "--type", "merge", "-p", '{"spec":{"clusterIP":"10.43.200.200"}}'], undefined, "spec.clusterIPs[0]");
    });

    it("refuses a duplicate nodePort and a clusterIP outside the service CIDR", () => {
      ok(k(["create", "service", "nodeport", "np-one", "--tcp=80:80", "--node-port=30123"]));
      refused(["create", "service", "nodeport", "np-two", "--tcp=80:80", "--node-port=30123"], undefined, "spec.ports[0].nodePort");
      refused(["create", "-f", "-"], '{"apiVersion":"v1","kind":"Service","metadata":{"name":"outside"},"spec":{"clusterIP":"10.96.0.10","ports":[{"port":80}]}}', "spec.clusterIPs[0]");
      refused(["create", "-f", "-"], '{"apiVersion":"v1","kind":"Service","metadata":{"name":"badport"},"spec":{"ports":[{"port":70000}]}}', "spec.ports[0].port");
    });

    it("refuses unknown fields under fieldValidation=Strict with 400", () => {
      const r = k(["create", "-f", "-", "-v=6"], '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"strict"},"dta":{"a":"b"}}');
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /400 Bad Request|unknown field "dta"/);
      assert.match(r.stderr, /unknown field "dta"/);
    });
  });

  it("gives 200 concurrently created Services 200 distinct ClusterIPs", async () => {
    ok(k(["create", "namespace", "many-svc"]));
    const made = await pool(Array.from({ length: 200 }, (_, i) => i), 32, (i) =>
      rest("POST", "/api/v1/namespaces/many-svc/services", { apiVersion: "v1", kind: "Service", metadata: { name: `s-${i}` }, spec: { selector: { app: `s${i}` }, ports: [{ port: 80 }] } }),
    );
    assert.deepEqual([...new Set(made.map((r) => r.status))], [201]);
    const ips = ok(k(["-n", "many-svc", "get", "services", "-o", "jsonpath={.items[*].spec.clusterIP}"])).trim().split(/\s+/);
    assert.equal(ips.length, 200);
    assert.equal(new Set(ips).size, 200);
    assert.ok(ips.every((ip) => /^10\.43\.\d+\.\d+$/.test(ip) && ip !== "10.43.0.1"));
  });

  describe("every kubectl from 1.27 to 1.33", () => {
    for (const minor of [27, 28, 29, 30, 31, 32, 33]) {
      // kubectl 1.27 and 1.28 validate and compute apply patches from /openapi/v2 (protobuf), which the server does not serve
      const needsV2 = minor <= 28;
      it(`kubectl 1.${minor}: get, create cm, apply, describe, delete`, () => {
        const v = kv(minor, ["version", "-o", "json"]);
        assert.equal(v.status, 0, v.stderr);
        assert.equal((JSON.parse(v.stdout) as { clientVersion: { minor: string } }).clientVersion.minor, String(minor));
        const n = `v${minor}`;
        const r = (args: string[], input?: string) => {
          const res = kv(minor, ["-n", ns, ...args], input);
          assert.equal(res.status, 0, `kubectl 1.${minor} ${args.join(" ")}: ${res.stderr}`);
          return res.stdout;
        };
        assert.match(r(["get", "pods"]), /NAME\s+READY\s+STATUS/);
        assert.match(r(["get", "nodes", "-n", "default"]), /node-a\s+Ready/);
        assert.match(r(["create", "cm", `${n}-cm`, "--from-literal=a=b"]), new RegExp(`configmap/${n}-cm created`));
        const validate = needsV2 ? ["--validate=false"] : [];
        const manifest = (val: string) => `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"${n}-app"},"spec":{"selector":{"matchLabels":{"app":"${n}"}},"template":{"metadata":{"labels":{"app":"${n}"}},"spec":{"containers":[{"name":"c","image":"busybox","env":[{"name":"V","value":"${val}"}]}]}}}}`;
        assert.match(r(["apply", ...validate, "-f", "-"], manifest("1")), /created/);
        assert.match(r(["apply", ...validate, "-f", "-"], manifest("2")), /configured/);
        assert.match(r(["get", "deployment", `${n}-app`, "-o", "jsonpath={.spec.template.spec.containers[0].env[0].value}"]), /^2$/);
        assert.match(r(["describe", "deployment", `${n}-app`]), new RegExp(`Name:\\s+${n}-app`));
        assert.match(r(["describe", "cm", `${n}-cm`]), /Data\n====/);
        assert.match(r(["get", "cm", `${n}-cm`, "-o", "yaml"]), /a: b/);
        r(["delete", "deployment", `${n}-app`]);
        r(["delete", "cm", `${n}-cm`]);
      });
    }
    it("kubectl 1.27 and 1.28: apply with validation (needs /openapi/v2)", () => {
      for (const minor of [27, 28]) {
        const res = kv(minor, ["-n", ns, "apply", "-f", "-"], `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"v2-${minor}"},"data":{"a":"b"}}`);
        assert.equal(res.status, 0, res.stderr);
      }
    });
  });
});
