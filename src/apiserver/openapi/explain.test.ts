// Drives the real kubectl 1.32 `explain` against the API server serving the
// built-in kinds, to check that nested fields show our descriptions (the
// field's own text, its type's text and every sub-field's text) and that no
// field of the nested paths of the kinds issue 5 names prints "<no description>".
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { builtinKinds, builtinSchemas } from "../../api/registry.ts";
import { descriptions } from "../../api/descriptions/index.ts";
import { kubectl, startTestServer, type TestServer } from "../testenv.ts";

const CORE = "io.k8s.api.core.v1";
let ts: TestServer;

before(async () => {
  ts = await startTestServer({ kinds: builtinKinds(), schemas: builtinSchemas() });
});

after(async () => {
  await ts?.close();
});

/** kubectl wraps and indents text; compare with runs of white space made one space. */
function flat(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

async function explain(path: string): Promise<string> {
  const r = await kubectl(ts, ["explain", path]);
  assert.equal(r.code, 0, `kubectl explain ${path} failed: ${r.stderr}`);
  return r.stdout;
}

/** Asserts the output shows the field's text, its type's text and every sub-field with its text. */
function assertDescribed(out: string, field: { parent: string; name: string; type: string }): void {
  assert.doesNotMatch(out, /<no description>/);
  const shown = flat(out);
  const own = descriptions[field.parent]?.[field.name];
  const type = descriptions[field.type]?.[""];
  assert.ok(own && type, `the tables describe ${field.parent}.${field.name} and ${field.type}`);
  assert.ok(shown.includes(flat(own)), `field text of ${field.name} missing from:\n${out}`);
  assert.ok(shown.includes(flat(type)), `type text of ${field.type} missing from:\n${out}`);
  for (const [sub, text] of Object.entries(descriptions[field.type] ?? {})) {
    if (sub === "") continue;
    assert.match(out, new RegExp(`^  ${sub}\\t<`, "m"), `sub-field ${sub} not listed`);
    assert.ok(shown.includes(flat(text)), `text of ${field.type}.${sub} missing from:\n${out}`);
  }
}

test("explain pods.spec.containers.livenessProbe shows our texts for the probe and its fields", async () => {
  const out = await explain("pods.spec.containers.livenessProbe");
  assert.match(out, /^KIND:\s+Pod$/m);
  assert.match(out, /^FIELD: livenessProbe <Probe>$/m);
  assertDescribed(out, { parent: `${CORE}.Container`, name: "livenessProbe", type: `${CORE}.Probe` });
  assert.match(out, /^ {2}initialDelaySeconds\t<integer>$/m);
});

test("explain services.spec.ports shows our texts for the port and its fields", async () => {
  const out = await explain("services.spec.ports");
  assert.match(out, /^KIND:\s+Service$/m);
  assert.match(out, /^FIELD: ports <\[\]ServicePort>$/m);
  assertDescribed(out, { parent: `${CORE}.ServiceSpec`, name: "ports", type: `${CORE}.ServicePort` });
  assert.match(out, /^ {2}port\t<integer> -required-$/m);
});

/** Nested paths of the kinds issue 5 names (pods, deployments, services, nodes, jobs, ingresses). */
const NESTED_PATHS = [
  "pods.spec", "pods.spec.containers", "pods.spec.volumes", "pods.status", "services.spec", "nodes.spec", "nodes.status", "nodes.status.nodeInfo",
  "deployments.spec", "deployments.spec.strategy.rollingUpdate", "deployments.status",
  "jobs.spec", "jobs.spec.podFailurePolicy.rules", "jobs.status",
  "ingresses.spec", "ingresses.spec.rules.http.paths.backend", "ingresses.status.loadBalancer.ingress",
];

test("nested paths of the issue's kinds print no field without a description", async () => {
  for (const path of NESTED_PATHS) {
    const out = await explain(path);
    assert.doesNotMatch(out, /<no description>/, `kubectl explain ${path}:\n${out}`);
  }
});
