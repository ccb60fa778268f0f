// Checks RFC 6902 JSON Patch: every operation, "-", pointer escapes, and the
// API server's error codes (400 malformed body, 422 failed operation, 413 too many).
import { test } from "node:test";
import assert from "node:assert/strict";
import { PatchError, applyJsonPatch, decodeJsonPatch, invalidPatchMessage } from "./mod.ts";

const cm = () => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "c", labels: { app: "web" }, finalizers: ["a", "b"] },
  data: { "a/b": "1", "m~n": "2" },
});

test("add, replace, remove on object members", () => {
  const out = applyJsonPatch(cm(), [
    { op: "add", path: "/metadata/labels/tier", value: "front" },
    { op: "replace", path: "/metadata/labels/app", value: "api" },
    { op: "remove", path: "/metadata/finalizers" },
  ]);
  assert.deepEqual(out.metadata, { name: "c", labels: { app: "api", tier: "front" } });
});

test("array indexes: insert, append with -, remove, replace", () => {
  const out = applyJsonPatch(cm(), [
    { op: "add", path: "/metadata/finalizers/0", value: "z" },
    { op: "add", path: "/metadata/finalizers/-", value: "end" },
    { op: "remove", path: "/metadata/finalizers/1" },
    { op: "replace", path: "/metadata/finalizers/1", value: "B" },
  ]);
  assert.deepEqual(out.metadata.finalizers, ["z", "B", "end"]);
});

test("pointer escapes ~1 and ~0 address keys with / and ~", () => {
  const out = applyJsonPatch(cm(), [
    { op: "replace", path: "/data/a~1b", value: "x" },
    { op: "remove", path: "/data/m~0n" },
  ]);
  assert.deepEqual(out.data, { "a/b": "x" });
});

test("move, copy and a passing test", () => {
  const out = applyJsonPatch(cm(), [
    { op: "test", path: "/metadata/labels/app", value: "web" },
    { op: "copy", from: "/metadata/labels/app", path: "/data/app" },
    { op: "move", from: "/data/a~1b", path: "/metadata/labels/moved" },
  ]);
  assert.deepEqual(out.data, { "m~n": "2", app: "web" });
  assert.equal((out.metadata.labels as Record<string, string>).moved, "1");
});

test("the input document is not modified", () => {
  const doc = cm();
  applyJsonPatch(doc, [{ op: "remove", path: "/data" }]);
  assert.deepEqual(doc, cm());
});

test("a failed test is a 422 with upstream's text", () => {
  assert.throws(
    () => applyJsonPatch(cm(), [{ op: "test", path: "/metadata/labels/app", value: "nope" }]),
    (e: unknown) => e instanceof PatchError && e.code === 422 && e.reason === "Invalid" && e.message === invalidPatchMessage,
  );
});

test("removing or replacing a missing member, or adding past the end, is a 422", () => {
  for (const op of [
    { op: "remove", path: "/data/nope" },
    { op: "replace", path: "/spec/x", value: 1 },
    { op: "add", path: "/metadata/finalizers/5", value: "x" },
    { op: "add", path: "/no/such/parent", value: 1 },
    { op: "remove", path: "/metadata/finalizers/-" },
    { op: "frobnicate", path: "/data" },
  ]) {
    assert.throws(() => applyJsonPatch(cm(), [op]), (e: unknown) => e instanceof PatchError && e.code === 422, JSON.stringify(op));
  }
});

test("a body that is not a list of operations is a 400; more than 10000 is a 413", () => {
  assert.throws(() => decodeJsonPatch(Buffer.from('{"op":"add"}')), (e: unknown) => e instanceof PatchError && e.code === 400);
  assert.throws(() => decodeJsonPatch("not json"), (e: unknown) => e instanceof PatchError && e.code === 400);
  const many = Array.from({ length: 10001 }, () => ({ op: "test", path: "", value: {} }));
  assert.throws(() => applyJsonPatch({}, many), (e: unknown) => e instanceof PatchError && e.code === 413);
});

test("the empty pointer replaces the whole document", () => {
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: "replace", path: "", value: { b: 2 } }]), { b: 2 });
});
