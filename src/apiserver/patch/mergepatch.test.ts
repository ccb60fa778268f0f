// Checks RFC 7386 merge patch with the RFC's own examples and kubectl's uses
// (label/annotate, scale on /scale).
import { test } from "node:test";
import assert from "node:assert/strict";
import { PatchError, applyMergePatch } from "./mod.ts";

test("RFC 7386 appendix A examples", () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [doc, patch, want] of cases) assert.deepEqual(applyMergePatch(doc, patch), want, JSON.stringify(patch));
});

test("kubectl label and label removal", () => {
  const cm = { metadata: { name: "c", labels: { app: "web", old: "x" } }, data: { k: "v" } };
  const out = applyMergePatch(cm, { metadata: { labels: { tier: "front", old: null } } });
  assert.deepEqual(out.metadata.labels, { app: "web", tier: "front" });
  assert.deepEqual(cm.metadata.labels, { app: "web", old: "x" }, "input untouched");
});

test("kubectl scale patches /scale spec.replicas", () => {
  const scale = { apiVersion: "autoscaling/v1", kind: "Scale", metadata: { name: "d" }, spec: { replicas: 1 }, status: { replicas: 1 } };
  assert.equal(applyMergePatch(scale, { spec: { replicas: 3 } }).spec.replicas, 3);
});

test("a patch that is not an object is a 400", () => {
  assert.throws(() => applyMergePatch({}, [1]), (e: unknown) => e instanceof PatchError && e.code === 400);
});
