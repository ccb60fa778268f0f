/** Finding etcd's compact revision by bisection, and the loop that compacts behind the head. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { findCompactRevision, startCompactionLoop } from "./compaction.ts";

test("bisection finds the lowest readable revision in about log2(current) reads", async () => {
  for (const [compacted, current] of [[0, 1], [0, 500], [2, 500], [377, 500], [500, 500], [123_456, 1_000_000]]) {
    let reads = 0;
    const readable = async (rev: number) => (reads++, rev >= compacted);
    assert.equal(await findCompactRevision(readable, current), compacted <= 1 ? 0 : compacted, `compacted at ${compacted} of ${current}`);
    assert.ok(reads <= Math.ceil(Math.log2(current + 1)) + 1, `${reads} reads for ${current}`);
  }
});

test("the loop compacts to retention behind the head, and only when that moves forward", async () => {
  let head = 1000;
  let compacted = 0;
  const calls: number[] = [];
  const stop = startCompactionLoop({
    intervalMs: 20,
    retention: 100,
    current: async () => head,
    compacted: async () => compacted,
    compact: async (rev) => (calls.push(rev), (compacted = rev)),
    log: () => undefined,
  });
  await new Promise((r) => setTimeout(r, 70));
  head = 1050;
  await new Promise((r) => setTimeout(r, 70));
  stop();
  assert.deepEqual(calls, [900, 950]);
});
