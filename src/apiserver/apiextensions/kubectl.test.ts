/**
 * CRDs driven by the real kubectl 1.32 against the REST core with the
 * built-in kinds and the CRD controller: apply and wait for Established,
 * custom resources with printer columns, explain, /status patches, 422s,
 * pruning, defaulting, a second version, 415 for strategic merge, and a CRD
 * delete that removes its resources and unserves the kind.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { builtinKinds, builtinSchemas } from "../../api/mod.ts";
import { inProcessClient } from "../../client/mod.ts";
import { kubectl, startTestServer, type TestServer } from "../testenv.ts";
import { startCrdController, type CrdController } from "./mod.ts";

let ts: TestServer;
let ctl: CrdController;

before(async () => {
  const schemas = builtinSchemas();
  ts = await startTestServer({ kinds: builtinKinds(), schemas });
  const client = inProcessClient(ts.api.handler, { username: "system:apiserver", groups: ["system:masters"] });
  ctl = startCrdController({ client, kinds: ts.api.kinds, schemas, cleanupRetryMs: 100 });
  await ctl.ready();
});

after(async () => {
  await ctl?.stop();
  await ts?.close();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await kubectl(ts, args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec, description: the schedule}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: What the cron tab runs.
            required: [cronSpec]
            properties:
              cronSpec: {type: string, description: The schedule in cron format., pattern: '^(\\S+ ){4}\\S+$'}
              image: {type: string}
              replicas: {type: integer, minimum: 1, default: 1}
          status:
            type: object
            properties:
              phase: {type: string}
              replicas: {type: integer}
  - name: v1beta1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`;

const CR = `apiVersion: stable.example.com/v1
kind: CronTab
metadata: {name: nightly}
spec: {cronSpec: "0 3 * * *", image: busybox}
`;

test("a CRD is applied, established and served with printer columns, explain and status", async () => {
  await ok(["apply", "-f", "-"], CRD);
  await ok(["wait", "--for", "condition=established", "--timeout=20s", "crd/crontabs.stable.example.com"]);
  const crd = JSON.parse(await ok(["get", "crd", "crontabs.stable.example.com", "-o", "json"]));
  assert.ok(crd.metadata.finalizers.includes("customresourcecleanup.apiextensions.k8s.io"));
  assert.deepEqual(crd.status.acceptedNames, { plural: "crontabs", singular: "crontab", shortNames: ["ct"], kind: "CronTab", listKind: "CronTabList" });
  assert.deepEqual(crd.status.storedVersions, ["v1"]);
  assert.equal(crd.status.conditions.find((c: { type: string }) => c.type === "NamesAccepted").status, "True");

  assert.match(await ok(["apply", "-f", "-"], CRD), /customresourcedefinition.apiextensions.k8s.io\/crontabs.stable.example.com unchanged/);
  const resources = await ok(["api-resources", "--api-group=stable.example.com"]);
  assert.match(resources, /crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab/);

  assert.match(await ok(["apply", "-f", "-"], CR), /crontab.stable.example.com\/nightly created/);
  const table = (await ok(["get", "crontabs"])).trim().split("\n");
  assert.match(table[0], /^NAME\s+SPEC\s+REPLICAS\s+AGE$/);
  assert.match(table[1], /^nightly\s+0 3 \* \* \*\s+1\s+\d+s$/, "replicas defaulted to 1");
  assert.match(await ok(["get", "ct", "nightly"]), /nightly/);

  const explain = await ok(["explain", "crontab.spec"]);
  assert.match(explain, /GROUP:\s+stable\.example\.com/);
  assert.match(explain, /cronSpec\s+<string> -required-/);
  assert.match(explain, /The schedule in cron format\./);

  await ok(["patch", "crontab", "nightly", "--subresource=status", "--type=merge", "-p", '{"status":{"phase":"Running"}}']);
  // writes to the main resource leave status alone
  await ok(["patch", "crontab", "nightly", "--type=merge", "-p", '{"spec":{"replicas":3},"status":{"phase":"Ignored"}}']);
  const cr = JSON.parse(await ok(["get", "crontab", "nightly", "-o", "json"]));
  assert.equal(cr.status.phase, "Running");
  assert.equal(cr.spec.replicas, 3);
  assert.equal(cr.metadata.generation, 2);

  await ok(["scale", "crontab", "nightly", "--replicas=4"]);
  const scale = await ts.request("GET", "/apis/stable.example.com/v1/namespaces/default/crontabs/nightly/scale");
  assert.equal(scale.json().kind, "Scale");
  assert.equal(scale.json().spec.replicas, 4);
  assert.equal(JSON.parse(await ok(["get", "crontab", "nightly", "-o", "json"])).spec.replicas, 4);

  // re-apply with a changed field: kubectl computes a merge patch for custom resources
  await ok(["apply", "-f", "-"], CR.replace("busybox", "alpine"));
  assert.equal(JSON.parse(await ok(["get", "crontab", "nightly", "-o", "json"])).spec.image, "alpine");
});

test("invalid custom resources get 422 with field paths; unknown fields are pruned", async () => {
  const bad = await kubectl(ts, ["create", "-f", "-"], `apiVersion: stable.example.com/v1
kind: CronTab
metadata: {name: bad}
spec: {cronSpec: "nope", replicas: 0}
`);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /The CronTab "bad" is invalid/);
  assert.match(bad.stderr, /spec\.cronSpec: Invalid value: "nope": spec\.cronSpec in body should match/);
  assert.match(bad.stderr, /spec\.replicas: Invalid value: 0: spec\.replicas in body should be greater than or equal to 1/);

  const missing = await ts.request("POST", "/apis/stable.example.com/v1/namespaces/default/crontabs", { body: { apiVersion: "stable.example.com/v1", kind: "CronTab", metadata: { name: "m" }, spec: {} } });
  assert.equal(missing.status, 422);
  assert.deepEqual(missing.json().details.causes, [{ reason: "FieldValueRequired", message: "Required value", field: "spec.cronSpec" }]);

  // kubectl's strict field validation refuses unknown fields as upstream does; without it they are pruned
  const strict = await kubectl(ts, ["create", "-f", "-"], CR.replace("nightly", "strict").replace("image: busybox", "image: busybox, extra: 1"));
  assert.notEqual(strict.code, 0);
  assert.match(strict.stderr, /strict decoding error: unknown field "spec.extra"/);
  await ok(["create", "--validate=false", "-f", "-"], CR.replace("nightly", "pruned").replace("image: busybox", "image: busybox, extra: 1") + "junk: true\n");
  const pruned = JSON.parse(await ok(["get", "crontab", "pruned", "-o", "json"]));
  assert.deepEqual(pruned.spec, { cronSpec: "0 3 * * *", image: "busybox", replicas: 1 });
  assert.equal(pruned.junk, undefined);
});

test("a second version is served from the same storage; strategic merge patches get 415", async () => {
  const v1beta1 = await ts.request("GET", "/apis/stable.example.com/v1beta1/namespaces/default/crontabs/nightly");
  assert.equal(v1beta1.status, 200);
  assert.equal(v1beta1.json().apiVersion, "stable.example.com/v1beta1");
  assert.equal(v1beta1.json().spec.cronSpec, "0 3 * * *");
  const smp = await ts.request("PATCH", "/apis/stable.example.com/v1/namespaces/default/crontabs/nightly", {
    body: { spec: { image: "x" } },
    headers: { "content-type": "application/strategic-merge-patch+json" },
  });
  assert.equal(smp.status, 415);
  const oa = await ts.request("GET", "/openapi/v3/apis/stable.example.com/v1");
  assert.equal(oa.status, 200);
  assert.ok(oa.json().components.schemas["com.example.stable.v1.CronTab"]);
});

test("a CRD with a non-structural schema is refused", async () => {
  const r = await kubectl(ts, ["apply", "-f", "-"], CRD.replace("crontabs.stable.example.com", "things.stable.example.com").replace(/plural: crontabs, singular: crontab, kind: CronTab, shortNames: \[ct\]/, "plural: things, kind: Thing").replace("image: {type: string}", "image: {description: untyped}"));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.properties\[image\]\.type: Required value: must not be empty for specified object fields/);
});

test("a CRD that claims a built-in resource is not accepted and its deletion leaves the built-in alone", async () => {
  const ing = await ts.request("POST", "/apis/networking.k8s.io/v1/namespaces/default/ingresses", {
    body: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web" }, spec: { defaultBackend: { service: { name: "web", port: { number: 80 } } } } },
  });
  assert.equal(ing.status, 201);
  await ok(["apply", "-f", "-"], `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ingresses.networking.k8s.io}
spec:
  group: networking.k8s.io
  scope: Namespaced
  names: {plural: ingresses, kind: Ingress}
  versions:
  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
`);
  await ok(["wait", "--for=condition=NamesAccepted=false", "--timeout=20s", "crd/ingresses.networking.k8s.io"]);
  const crd = JSON.parse(await ok(["get", "crd", "ingresses.networking.k8s.io", "-o", "json"]));
  assert.equal(crd.status.conditions.find((c: { type: string }) => c.type === "Established").status, "False");
  await ok(["delete", "crd", "ingresses.networking.k8s.io", "--timeout=20s"]);
  const still = await ts.request("GET", "/apis/networking.k8s.io/v1/namespaces/default/ingresses/web");
  assert.equal(still.status, 200);
  assert.equal(still.json().spec.defaultBackend.service.name, "web");
});

test("deleting the CRD removes its custom resources and unserves the kind", async () => {
  const before = await ts.backend.count("/registry/stable.example.com/", "/registry/stable.example.com0");
  assert.equal(before.count, 2, "nightly and pruned are stored under the group's prefix");
  await ok(["delete", "crd", "crontabs.stable.example.com", "--timeout=30s"]);
  assert.equal((await ok(["get", "crd", "-o", "name"])).trim(), "");
  const gone = await ts.request("GET", "/apis/stable.example.com/v1/namespaces/default/crontabs");
  assert.equal(gone.status, 404);
  const left = await ts.backend.count("/registry/stable.example.com/", "/registry/stable.example.com0");
  assert.equal(left.count, 0);
});
