// kubectl 1.32 against the API server serving the built-in kinds: a
// Deployment through server-side apply (re-apply drops an env var and a
// container), set image and rollout restart (strategic merge), scale (/scale),
// and a client-side re-apply that removes an env var.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { builtinKinds, builtinSchemas } from "../../api/mod.ts";
import { kubectl, startTestServer, type TestServer } from "../testenv.ts";

interface Deployment {
  spec: {
    replicas: number;
    template: { metadata: { annotations?: Record<string, string> }; spec: { containers: { name: string; image: string; env?: { name: string; value: string }[] }[] } };
  };
  metadata: { managedFields?: { manager: string; operation: string; subresource?: string }[] };
}

function manifest(name: string, containers: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
${containers}`;
}

describe("kubectl 1.32 patches and apply on a Deployment", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ kinds: builtinKinds(), schemas: builtinSchemas() });
  });
  after(async () => {
    await ts.close();
  });

  const get = async (name: string): Promise<Deployment> => {
    const r = await kubectl(ts, ["get", "deploy", name, "-o", "json", "--show-managed-fields"]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Deployment;
  };
  const run = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(ts, args, input);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };

  it("server-side apply twice, then set image, rollout restart and scale", async () => {
    const both = `      - {name: web, image: "nginx:1.27", env: [{name: A, value: "1"}, {name: B, value: "2"}]}
      - {name: side, image: busybox}
`;
    await run(["apply", "--server-side", "-f", "-"], manifest("ssa", both));
    await run(["apply", "--server-side", "-f", "-"], manifest("ssa", `      - {name: web, image: "nginx:1.27", env: [{name: A, value: "1"}]}\n`));
    let d = await get("ssa");
    assert.deepEqual(d.spec.template.spec.containers.map((c) => [c.name, c.env]), [["web", [{ name: "A", value: "1" }]]]);
    await run(["set", "image", "deployment/ssa", "web=nginx:1.28"]);
    await run(["rollout", "restart", "deployment/ssa"]);
    await run(["scale", "deployment/ssa", "--replicas=3"]);
    d = await get("ssa");
    assert.equal(d.spec.template.spec.containers[0].image, "nginx:1.28");
    assert.ok(d.spec.template.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"]);
    assert.equal(d.spec.replicas, 3);
    // scale sends no fieldManager: the manager is the User-Agent's product, which names the
    // kubectl binary the dispatcher ran (kubectl.1.32 here, kubectl elsewhere)
    const managers = (d.metadata.managedFields ?? []).map((e) => `${e.manager.replace(/^kubectl\.1\.\d+$/, "kubectl")}/${e.operation}/${e.subresource ?? ""}`).sort();
    assert.deepEqual(managers, ["kubectl-rollout/Update/", "kubectl-set/Update/", "kubectl/Apply/", "kubectl/Update/scale"]);
    const clash = await kubectl(ts, ["apply", "--server-side", "-f", "-"], manifest("ssa", `      - {name: web, image: "nginx:1.27", env: [{name: A, value: "1"}]}\n`));
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /conflicts with "kubectl-set" using apps\/v1|conflict with "kubectl-set" using apps\/v1/);
  });

  it("client-side apply twice removes an env var through a strategic merge patch", async () => {
    await run(["apply", "-f", "-"], manifest("csa", `      - {name: web, image: "nginx:1.27", env: [{name: A, value: "1"}, {name: B, value: "2"}]}\n`));
    await run(["apply", "-f", "-"], manifest("csa", `      - {name: web, image: "nginx:1.28", env: [{name: A, value: "1"}, {name: C, value: "3"}]}\n`));
    const d = await get("csa");
    assert.deepEqual(d.spec.template.spec.containers[0], { name: "web", image: "nginx:1.28", env: [{ name: "A", value: "1" }, { name: "C", value: "3" }], ...pick(d.spec.template.spec.containers[0]) });
  });
});

/** Fields the server defaults on a container, carried over so the comparison checks only what apply set. */
function pick(c: Record<string, unknown>): Record<string, unknown> {
  const { name: _n, image: _i, env: _e, ...rest } = c;
  return rest;
}
