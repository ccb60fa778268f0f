// Checks the fieldsV1 encoding (members, ".", element kinds and their order,
// normalised keys) and upstream's printed path form used in conflicts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FieldSet, PatchError, fieldManagerFor, fromFieldsV1, pathString, toFieldsV1 } from "./mod.ts";

test("a set round-trips through fieldsV1 with '.' only on members that have children", () => {
  const set = new FieldSet([
    ["f:metadata", "f:labels"],
    ["f:metadata", "f:labels", "f:app"],
    ["f:spec", "f:containers", 'k:{"name":"web"}'],
    ["f:spec", "f:containers", 'k:{"name":"web"}', "f:image"],
    ["f:metadata", "f:finalizers", 'v:"a/b"'],
    ["f:spec", "f:replicas"],
  ]);
  const v1 = toFieldsV1(set);
  assert.deepEqual(v1, {
    "f:metadata": { "f:finalizers": { 'v:"a/b"': {} }, "f:labels": { ".": {}, "f:app": {} } },
    "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {} } }, "f:replicas": {} },
  });
  assert.deepEqual(fromFieldsV1(v1).paths(), set.paths());
  assert.equal(JSON.stringify(Object.keys(v1["f:metadata"] as object)), '["f:finalizers","f:labels"]');
});

test("decoding normalises key order and spacing inside k: and v: elements", () => {
  const set = fromFieldsV1({ "f:ports": { 'k:{"protocol": "TCP", "containerPort": 80}': {} } });
  assert.ok(set.has(["f:ports", 'k:{"containerPort":80,"protocol":"TCP"}']));
});

test("a malformed fieldsV1 is a 400", () => {
  assert.throws(() => fromFieldsV1({ "x:nope": {} }), (e: unknown) => e instanceof PatchError && e.code === 400);
  assert.throws(() => fromFieldsV1({ "f:a": "str" }), (e: unknown) => e instanceof PatchError && e.code === 400);
});

test("paths print as upstream prints them in conflicts", () => {
  assert.equal(pathString(["f:data", "f:key"]), ".data.key");
  assert.equal(pathString(["f:spec", "f:containers", 'k:{"name":"web"}', "f:image"]), '.spec.containers[name="web"].image');
  assert.equal(pathString(["f:ports", 'k:{"containerPort":80,"protocol":"TCP"}']), '.ports[containerPort=80,protocol="TCP"]');
  assert.equal(pathString(["f:metadata", "f:finalizers", 'v:"x"']), '.metadata.finalizers[="x"]');
  assert.equal(pathString(["f:args", "i:2"]), ".args[2]");
});

test("set algebra and named ancestors", () => {
  const a = new FieldSet([["f:a", "f:b"], ["f:a", "f:c"]]);
  const b = new FieldSet([["f:a", "f:c"], ["f:d"]]);
  assert.deepEqual(a.union(b).size, 3);
  assert.deepEqual(a.difference(b).paths(), [["f:a", "f:b"]]);
  assert.deepEqual(a.intersection(b).paths(), [["f:a", "f:c"]]);
  assert.deepEqual(new FieldSet([["f:l", 'k:{"n":1}', "f:x"]]).withNamedAncestors().paths(), [["f:l"], ["f:l", 'k:{"n":1}', "f:x"]]);
  assert.deepEqual(a.withoutPrefixes([["f:a"]]).size, 0);
});

test("the field manager falls back to the User-Agent's product name", () => {
  assert.equal(fieldManagerFor("kubectl-edit", "kubectl/v1.32.4 (linux/amd64)"), "kubectl-edit");
  assert.equal(fieldManagerFor(undefined, "kubectl/v1.32.4 (linux/amd64) kubernetes/abc"), "kubectl");
  assert.equal(fieldManagerFor("", "node-fetch"), "node-fetch");
  assert.equal(fieldManagerFor(null, "a\u0007b/1"), "ab");
  assert.equal(fieldManagerFor(undefined, "x".repeat(300)).length, 128);
});
