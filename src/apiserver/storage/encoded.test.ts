/** The list JSON built from cached item texts is byte for byte JSON.stringify's, and unmarked values are untouched. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonOf, sharedJson, withSharedItems } from "./encoded.ts";

const pod = (name: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "ns", resourceVersion: "7", labels: { "é": "ü\u2028\"\\" } },
  spec: { containers: [{ name: "c", image: "x", args: ["a", "\u0000"] }], nodeName: undefined },
  status: { phase: "Running", n: 1.5e-7 },
});

test("a marked list is serialised exactly as JSON.stringify would", () => {
  const items = [pod("a"), pod("b"), pod("ç")];
  for (const i of items) sharedJson(i); // texts already cached, as after a watch sent them
  const list = { kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "9", continue: "é…😀", remainingItemCount: 3 }, items, after: ["ü"] };
  assert.deepEqual(jsonOf(withSharedItems(list)), Buffer.from(JSON.stringify(list)));
  const empty = withSharedItems({ kind: "PodList", apiVersion: "v1", metadata: {}, items: [] as object[] });
  assert.equal(jsonOf(empty).toString(), JSON.stringify(empty));
  const odd = withSharedItems({ items: [pod("x")], skipped: undefined, fn: () => 1, kind: "PodList" });
  assert.equal(jsonOf(odd).toString(), JSON.stringify(odd));
});

test("an object's bytes are made once and reused", () => {
  const p = pod("once");
  const first = sharedJson(p);
  p.metadata.name = "changed in place, which cache objects never are";
  assert.equal(sharedJson(p), first);
  // values that were not marked are serialised as they are now
  const list = { items: [p] };
  assert.equal(jsonOf(list).toString(), JSON.stringify(list));
  assert.equal(jsonOf("text").toString(), '"text"');
  assert.equal(jsonOf(null).toString(), "null");
});
