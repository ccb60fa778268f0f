// The real kubectl 1.27 and 1.28 (which fetch /openapi/v2 as protobuf before
// apply/create/replace/edit and use it for explain and strategic merge) and
// 1.29–1.33 (which use v3 and must not be disturbed) against the REST core over real SQLite, with the
// built-in kinds and the v2 handler registered as the product registers it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { builtinKinds, builtinSchemas, decodeProtobuf } from "../../../api/mod.ts";
import { customResourceKinds } from "../../apiextensions/kinds.ts";
import type { Crd } from "../../apiextensions/types.ts";
import { startTestServer, type TestServer } from "../../testenv.ts";
import { openApiV2Handler } from "./serve.ts";

const BIN = "/usr/lib/google-cloud-sdk/bin";
let ts: TestServer;
let schemas: ReturnType<typeof builtinSchemas>;
const v2Requests: { accept?: string; status: number }[] = [];

before(async () => {
  schemas = builtinSchemas();
  ts = await startTestServer({ kinds: builtinKinds(), schemas, protobuf: (_kind, body) => decodeProtobuf(schemas, body) });
  const handler = openApiV2Handler(() => ts.api.kinds.all(), schemas);
  ts.api.registerPath("/openapi/v2", async (req) => {
    const res = await handler(req);
    v2Requests.push({ accept: req.headers.accept, status: res.status });
    return res;
  });
});

after(async () => {
  await ts?.close();
});

function kubectl(minor: number, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      `${BIN}/kubectl.1.${minor}`,
      ["--kubeconfig", ts.kubeconfig, "--cache-dir", join(ts.dir, `kcache-${minor}`), ...args],
      { timeout: 60_000, env: { ...process.env, HOME: ts.dir, ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
    child.stdin?.end();
  });
}

function manifest(name: string, text: string): string {
  const path = join(ts.dir, name);
  writeFileSync(path, text);
  return path;
}

function deployment(name: string, opts: { image: string; env: Array<[string, string]>; extra?: string }): string {
  const env = opts.env.map(([n, v]) => `            - name: ${n}\n              value: "${v}"\n`).join("");
  return manifest(
    `${name}.yaml`,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
spec:
  replicas: 2
${opts.extra ?? ""}  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: web
          image: ${opts.image}
          env:
${env}`,
  );
}

interface Container {
  image: string;
  env?: Array<{ name: string; value?: string }>;
}

async function containerOf(name: string): Promise<Container> {
  const res = await ts.request("GET", `/apis/apps/v1/namespaces/default/deployments/${name}`);
  assert.equal(res.status, 200, res.body.toString());
  return res.json().spec.template.spec.containers[0] as Container;
}

for (const minor of [27, 28, 29, 30, 31, 32, 33]) {
  const skip = !existsSync(`${BIN}/kubectl.1.${minor}`);

  test(`kubectl 1.${minor}: apply with validation on, then a re-apply patched strategically`, { skip }, async () => {
    const name = `web${minor}`;
    const before = v2Requests.length;
    const created = await kubectl(minor, ["apply", "-f", deployment(name, { image: "nginx:1.27", env: [["A", "1"], ["B", "2"]] })]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, new RegExp(`deployment.apps/${name} created`));
    if (minor < 29) {
      const asked = v2Requests.slice(before);
      assert.ok(asked.length > 0, "kubectl did not ask for /openapi/v2");
      assert.ok(asked.every((r) => r.status === 200 && r.accept?.includes("com.github.proto-openapi.spec.v2")), JSON.stringify(asked));
    }
    // -v=8 logs the PATCH body: the env list is merged by name, B deleted by key, which needs the merge key from OpenAPI
    const updated = await kubectl(minor, ["apply", "-v=8", "-f", deployment(name, { image: "nginx:1.28", env: [["A", "1"], ["C", "3"]] })]);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, new RegExp(`deployment.apps/${name} configured`));
    // 1.32 logs bodies as quoted strings: unescape so one pattern fits every version
    const log = updated.stderr.replace(/\\"/g, '"');
    assert.ok(!/error calculating patch from openapi/.test(log), "kubectl could not use the OpenAPI patch metadata");
    assert.ok(/Content-Type: application\/strategic-merge-patch\+json/.test(log), "the re-apply was not a strategic merge patch");
    assert.ok(/"\$setElementOrder\/env":\[\{"name":"A"\},\{"name":"C"\}\]/.test(log), "no $setElementOrder/env in the patch");
    assert.ok(/\{"\$patch":"delete","name":"B"\}/.test(log), "env B was not deleted by its merge key");
    const c = await containerOf(name);
    assert.equal(c.image, "nginx:1.28");
    assert.deepEqual(c.env?.map((e) => `${e.name}=${e.value}`), ["A=1", "C=3"]);
  });

  test(`kubectl 1.${minor}: create -f with validation on`, { skip }, async () => {
    const name = `made${minor}`;
    const r = await kubectl(minor, ["create", "-f", deployment(name, { image: "nginx", env: [["X", "1"]] })]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`deployment.apps/${name} created`));
    assert.equal((await containerOf(name)).image, "nginx");
  });

  test(`kubectl 1.${minor}: an unknown field is refused`, { skip }, async () => {
    const name = `bad${minor}`;
    const r = await kubectl(minor, ["apply", "-f", deployment(name, { image: "nginx", env: [["X", "1"]], extra: "  replicaz: 3\n" })]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /unknown field "?(spec\.)?replicaz"?/);
    const res = await ts.request("GET", `/apis/apps/v1/namespaces/default/deployments/${name}`);
    assert.equal(res.status, 404);
  });

  test(`kubectl 1.${minor}: explain deployment.spec.replicas`, { skip }, async () => {
    const r = await kubectl(minor, ["explain", "deployment.spec.replicas"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+Deployment/);
    assert.match(r.stdout, /FIELD:\s+replicas\s+<integer>/);
  });
}

for (const minor of [27, 28]) {
  test(`kubectl 1.${minor}: replace -f and edit with validation on`, { skip: !existsSync(`${BIN}/kubectl.1.${minor}`) }, async () => {
    const name = `ed${minor}`;
    assert.equal((await kubectl(minor, ["create", "-f", deployment(name, { image: "nginx:1.1", env: [["A", "1"]] })])).code, 0);
    const replaced = await kubectl(minor, ["replace", "-f", deployment(name, { image: "nginx:1.2", env: [["A", "2"]] })]);
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.match(replaced.stdout, new RegExp(`deployment.apps/${name} replaced`));
    assert.equal((await containerOf(name)).image, "nginx:1.2");
    // kubectl runs the editor through sh -c with the temp file's path appended
    const edited = await kubectl(minor, ["edit", `deployment/${name}`, "-n", "default"], { KUBE_EDITOR: "sed -i -e s/nginx:1.2/nginx:1.3/" });
    assert.equal(edited.code, 0, edited.stderr);
    assert.match(edited.stdout, new RegExp(`deployment.apps/${name} edited`));
    assert.equal((await containerOf(name)).image, "nginx:1.3");
  });

  test(`kubectl 1.${minor}: explain from the v2 document itself`, { skip: !existsSync(`${BIN}/kubectl.1.${minor}`) }, async () => {
    const before = v2Requests.length;
    const r = await kubectl(minor, ["explain", "--output=plaintext-openapiv2", "deployment.spec.template.spec.containers"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(v2Requests.length > before, "explain did not read /openapi/v2");
    assert.match(r.stdout, /KIND:\s+Deployment/);
    assert.match(r.stdout, /RESOURCE:\s+containers <\[\]Object>/);
    assert.match(r.stdout, /name\s+<string> -required-/);
    assert.match(r.stdout, /env\s+<\[\]Object>/);
  });
}

for (const minor of [27, 28]) {
  // kubectl validates a kind: List on the client (it never asks the server to): every item against the v2 schemas
  test(`kubectl 1.${minor}: a List is validated against the v2 schemas on the client`, { skip: !existsSync(`${BIN}/kubectl.1.${minor}`) }, async () => {
    const list = (extra: string) =>
      manifest(
        `list${minor}.yaml`,
        `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: listed${minor}, namespace: default}
    data: {k: v}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: listed${minor}, namespace: default}
    spec:
      selector: {matchLabels: {app: l}}
      strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: "25%"}}
      template:
        metadata: {labels: {app: l}}
        spec:
          containers:
            - name: web
              image: nginx
              ports: [{containerPort: 80}]
${extra}`,
      );
    const bad = await kubectl(minor, ["apply", "-f", list("              colour: blue\n")]);
    assert.notEqual(bad.code, 0, bad.stdout);
    assert.match(bad.stderr, /ValidationError\(Deployment\.spec\.template\.spec\.containers\[0\]\): unknown field "colour" in io\.k8s\.api\.core\.v1\.Container/);
    assert.equal((await ts.request("GET", `/api/v1/namespaces/default/configmaps/listed${minor}`)).status, 404);
    const good = await kubectl(minor, ["apply", "-f", list("")]);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, new RegExp(`configmap/listed${minor} created`));
    assert.match(good.stdout, new RegExp(`deployment.apps/listed${minor} created`));
  });
}

const gizmos: Crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "gizmos.example.k3s.io" },
  spec: {
    group: "example.k3s.io",
    names: { kind: "Gizmo", plural: "gizmos", singular: "gizmo", listKind: "GizmoList" },
    scope: "Namespaced",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" }, tags: { type: "array", items: { type: "string" } } } } } } },
      },
    ],
  },
};

test("a custom resource registered after the v2 document was built: kubectl 1.27/1.28 apply, re-apply (merge patch), refuse an unknown field, explain it from v2", async () => {
  // what the CRD controller does once a CRD is established: schemas into the shared registry, kinds into the server
  const made = customResourceKinds(gizmos);
  Object.assign(schemas, made.schemas);
  for (const k of made.kinds) ts.api.kinds.register(k);
  for (const minor of [27, 28]) {
    if (!existsSync(`${BIN}/kubectl.1.${minor}`)) continue;
    const gizmo = (spec: string) => manifest(`g${minor}.yaml`, `apiVersion: example.k3s.io/v1\nkind: Gizmo\nmetadata: {name: g${minor}, namespace: default}\nspec: {${spec}}\n`);
    const created = await kubectl(minor, ["apply", "-f", gizmo("size: 1, tags: [a, b]")]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, new RegExp(`gizmo.example.k3s.io/g${minor} created`));
    const updated = await kubectl(minor, ["apply", "-v=8", "-f", gizmo("size: 2")]);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stderr, /Content-Type: application\/merge-patch\+json/);
    const got = (await ts.request("GET", `/apis/example.k3s.io/v1/namespaces/default/gizmos/g${minor}`)).json();
    assert.deepEqual(got.spec, { size: 2 });
    const bad = await kubectl(minor, ["apply", "-f", gizmo("size: 3, colour: blue")]);
    assert.notEqual(bad.code, 0, bad.stdout);
    assert.match(bad.stderr, /unknown field "spec\.colour"/);
    // only a document rebuilt after the registration knows the new kind
    const explained = await kubectl(minor, ["explain", "--output=plaintext-openapiv2", "gizmo.spec"]);
    assert.equal(explained.code, 0, explained.stderr);
    assert.match(explained.stdout, /size\s+<integer>/);
    assert.match(explained.stdout, /tags\s+<\[\]string>/);
  }
});
