import { test } from "node:test";
import assert from "node:assert/strict";
import { ItemExponentialBackoff, WorkQueue } from "./workqueue.ts";
import { runController } from "./runner.ts";

test("a key added twice is queued once", async () => {
  const q = new WorkQueue();
  q.add("a");
  q.add("a");
  q.add("b");
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), "a");
  assert.equal(await q.get(), "b");
  q.shutDown();
});

test("a key re-added while processing is deferred until done", async () => {
  const q = new WorkQueue();
  q.add("a");
  const k = await q.get();
  assert.equal(k, "a");
  q.add("a");
  assert.equal(q.len(), 0, "not handed out while processing");
  let second: string | undefined;
  const p = q.get().then((v) => (second = v));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(second, undefined);
  q.done("a");
  await p;
  assert.equal(second, "a");
  q.shutDown();
});

test("back-off doubles from 5 ms and caps at 1000 s", () => {
  const b = new ItemExponentialBackoff();
  assert.deepEqual([b.when("k"), b.when("k"), b.when("k")], [5, 10, 20]);
  for (let i = 0; i < 40; i++) b.when("k");
  assert.equal(b.when("k"), 1_000_000);
  b.forget("k");
  assert.equal(b.when("k"), 5);
});

test("addAfter delivers later and the earlier deadline wins", async () => {
  const q = new WorkQueue();
  const t0 = Date.now();
  q.addAfter("x", 200);
  q.addAfter("x", 20);
  assert.equal(await q.get(), "x");
  assert.ok(Date.now() - t0 < 150);
  q.shutDown();
});

test("with a priority function, higher priorities come first and equals stay FIFO", async () => {
  const prio: Record<string, number> = { a: 0, b: 10, c: 0, d: 10 };
  const q = new WorkQueue({ priority: (k) => prio[k] });
  for (const k of ["a", "b", "c", "d"]) q.add(k);
  const order: string[] = [];
  for (let i = 0; i < 4; i++) {
    const k = (await q.get())!;
    order.push(k);
    q.done(k);
  }
  assert.deepEqual(order, ["b", "d", "a", "c"]);
  q.shutDown();
});

test("get resolves undefined after shutDown", async () => {
  const q = new WorkQueue();
  const p = q.get();
  q.shutDown();
  assert.equal(await p, undefined);
});

test("runController never runs one key on two workers and retries failures", async () => {
  const q = new WorkQueue({ baseDelayMs: 1 });
  const active = new Set<string>();
  let overlap = false;
  let fails = 2;
  const seen: string[] = [];
  const loop = runController({
    name: "t",
    queue: q,
    workers: 4,
    onError: () => undefined,
    async sync(key) {
      if (active.has(key)) overlap = true;
      active.add(key);
      await new Promise((r) => setTimeout(r, 5));
      active.delete(key);
      seen.push(key);
      if (key === "bad" && fails-- > 0) throw new Error("boom");
    },
  });
  for (let i = 0; i < 5; i++) {
    q.add("a");
    q.add("bad");
    await new Promise((r) => setTimeout(r, 2));
  }
  await new Promise((r) => setTimeout(r, 100));
  await loop.stop();
  assert.equal(overlap, false);
  assert.ok(seen.filter((k) => k === "bad").length >= 3, `bad retried: ${seen}`);
  assert.equal(q.numRequeues("bad"), 0, "forgotten after success");
});
