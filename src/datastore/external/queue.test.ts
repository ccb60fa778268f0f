/** The watch queue: order, the end on abort (dropping what is queued), an error after what was queued, and a cap on a stuck consumer. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FailableQueue } from "./queue.ts";

async function drain<T>(q: AsyncIterable<T>): Promise<{ items: T[]; error?: Error }> {
  const items: T[] = [];
  try {
    for await (const x of q) items.push(x);
  } catch (err) {
    return { items, error: err as Error };
  }
  return { items };
}

test("items in order, then the error fail() gave", async () => {
  let closed = 0;
  const q = new FailableQueue<number>(new AbortController().signal, () => closed++);
  q.push(1);
  q.push(2);
  q.fail(new Error("compacted"));
  q.push(3);
  const r = await drain(q);
  assert.deepEqual(r.items, [1, 2]);
  assert.equal(r.error?.message, "compacted");
  assert.equal(closed, 1);
});

test("abort ends the iteration and drops what is queued", async () => {
  const ac = new AbortController();
  const q = new FailableQueue<number>(ac.signal, () => undefined);
  q.push(1);
  ac.abort();
  assert.deepEqual(await drain(q), { items: [] });
});

test("a consumer too far behind gets an error instead of unbounded memory", async () => {
  const q = new FailableQueue<number>(new AbortController().signal, () => undefined, 3);
  for (let i = 0; i < 5; i++) q.push(i);
  const r = await drain(q);
  assert.deepEqual(r.items, []);
  assert.match(r.error?.message ?? "", /fell more than 3 batches behind/);
});
