import { test } from "node:test";
import assert from "node:assert/strict";
import { NAMESPACE_INDEX, Store, objectKey, splitKey } from "./store.ts";
import { ndjsonLines } from "./ndjson.ts";

const pod = (ns: string, name: string, node?: string) => ({ metadata: { namespace: ns, name }, spec: { nodeName: node } });

test("store keeps namespace and custom indexes in step with updates and removals", () => {
  const s = new Store();
  s.addIndexer("node", (o) => [String((o.spec as { nodeName?: string }).nodeName ?? "")]);
  s.upsert(pod("a", "p1", "n1"));
  s.upsert(pod("a", "p2", "n1"));
  s.upsert(pod("b", "p3", "n2"));
  assert.equal(s.byIndex(NAMESPACE_INDEX, "a").length, 2);
  assert.equal(s.byIndex("node", "n1").length, 2);
  s.upsert(pod("a", "p2", "n2"));
  assert.deepEqual(s.byIndex("node", "n1").map(objectKey), ["a/p1"]);
  assert.equal(s.byIndex("node", "n2").length, 2);
  s.remove("b/p3");
  assert.deepEqual(s.byIndex(NAMESPACE_INDEX, "b"), []);
  assert.deepEqual(splitKey("a/p1"), { namespace: "a", name: "p1" });
  assert.deepEqual(splitKey("node1"), { namespace: "", name: "node1" });
});

test("ndjson splits lines across chunk boundaries", async () => {
  async function* chunks() {
    yield Buffer.from('{"a":1}\n{"b"');
    yield Buffer.from(':2}\n\n{"c":3}');
  }
  const lines: string[] = [];
  for await (const l of ndjsonLines(chunks())) lines.push(l);
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', "", '{"c":3}']);
});
