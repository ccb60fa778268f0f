/** The watch channel delivers in order, ends on abort, and drops a consumer that falls too far behind. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Channel } from "./channel.ts";

test("items arrive in order and the channel ends on abort", async () => {
  const ac = new AbortController();
  let closed = 0;
  const ch = new Channel<number>(ac.signal, () => closed++);
  ch.push(1);
  ch.push(2);
  const it = ch[Symbol.asyncIterator]();
  assert.deepEqual(await it.next(), { value: 1, done: false });
  assert.deepEqual(await it.next(), { value: 2, done: false });
  const pending = it.next();
  ac.abort();
  assert.equal((await pending).done, true);
  assert.equal(closed, 1);
});

test("a consumer more than maxQueued behind is ended", async () => {
  let closed = 0;
  const ch = new Channel<number>(new AbortController().signal, () => closed++, 3);
  for (let i = 0; i < 5; i++) ch.push(i);
  assert.equal(closed, 1);
  const got: number[] = [];
  for await (const n of ch) got.push(n);
  assert.deepEqual(got, []);
});
