/** The stored range: upstream's bitmap layout, compare-and-swap between servers, batching, and fresh refusals. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KeyValue } from "../../datastore/mod.ts";
import { AllocationBitmap } from "./bitmap.ts";
import { RangeNotReadyError, StoredRange } from "./range.ts";
import { MemoryRangeStore, decodeRange } from "./store.ts";

/** A store that counts its writes. */
class CountingStore extends MemoryRangeStore {
  writes = 0;
  override async update(key: string, value: Buffer, expected: number): Promise<KeyValue> {
    this.writes++;
    return super.update(key, value, expected);
  }
}

function rangeOver(store: MemoryRangeStore, size = 300, createMissing = true): StoredRange {
  return new StoredRange({ store, key: "/registry/ranges/test", range: `0-${size - 1}`, size, staticBand: 16, resource: "tests", createMissing });
}

test("the stored bitmap is upstream's: a big-endian integer whose bit i is offset i", () => {
  const bits = new AllocationBitmap(20);
  bits.set(0);
  bits.set(9);
  assert.deepEqual([...bits.toStored()], [0x02, 0x01]);
  const back = AllocationBitmap.fromStored(20, Buffer.from([0x02, 0x01]));
  assert.deepEqual(back.offsets(), [0, 9]);
  assert.equal(back.count, 2);
  assert.deepEqual([...new AllocationBitmap(20).toStored()], [], "an empty range stores no bytes");
  assert.deepEqual(AllocationBitmap.fromStored(4, Buffer.from([0xff])).offsets(), [0, 1, 2, 3], "bits past a shrunk range are dropped");
});

test("two ranges over one store (two servers) hand out distinct offsets under concurrency", async () => {
  const store = new MemoryRangeStore();
  const a = rangeOver(store);
  const b = rangeOver(store);
  const got = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).next()));
  assert.ok(got.every((o) => o !== undefined));
  assert.equal(new Set(got).size, 200);
  assert.equal((await a.read())?.bits.count, 200);
});

test("requests made together share one write", async () => {
  const store = new CountingStore();
  const r = rangeOver(store);
  await r.next();
  const before = store.writes;
  await Promise.all(Array.from({ length: 50 }, () => r.next()));
  assert.ok(store.writes - before <= 2, `${store.writes - before} writes for 50 allocations`);
});

test("a refusal rests on a fresh read: a value another server freed is granted, one it took is refused", async () => {
  const store = new MemoryRangeStore();
  const a = rangeOver(store);
  const b = rangeOver(store);
  assert.equal(await a.take(5), true);
  await b.read();
  await a.release(5);
  assert.equal(await b.take(5), true, "b's cache still showed 5 taken");
  await a.read();
  assert.equal(await b.take(7), true);
  assert.equal(await a.take(7), false, "a's cache still showed 7 free");
  const { kv } = await store.get("/registry/ranges/test");
  assert.deepEqual(decodeRange(kv!, 300).bits.offsets(), [5, 7]);
});

test("a full range answers undefined; a range never created refuses until repair creates it", async () => {
  const small = rangeOver(new MemoryRangeStore(), 3);
  const got = await Promise.all([small.next(), small.next(), small.next(), small.next()]);
  assert.deepEqual(got.filter((o) => o !== undefined).sort(), [0, 1, 2]);
  assert.equal(got.filter((o) => o === undefined).length, 1);
  const store = new MemoryRangeStore();
  const strict = rangeOver(store, 10, false);
  await assert.rejects(strict.next(), (err: unknown) => err instanceof RangeNotReadyError && /cannot allocate resources of type tests at this time/.test(err.message));
  await strict.write(undefined, new AllocationBitmap(10));
  assert.notEqual(await strict.next(), undefined);
});
