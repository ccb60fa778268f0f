/** How polled rows of shared revisions are held back and ordered (log-backend's closedPrefix). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { closedPrefix } from "./log-backend.ts";
import type { Row } from "./store.ts";

/** rows by [id, revision] */
const rows = (pairs: [number, number][]): Row[] =>
  pairs.map(([id, modRevision]) => ({
    id,
    modRevision,
    prevModRevision: 0,
    name: `k${id}`,
    created: true,
    deleted: false,
    createRevision: 0,
    prevRevision: 0,
    lease: 0,
    value: Buffer.alloc(0),
    oldValue: Buffer.alloc(0),
    version: 1,
  }));

test("closedPrefix: single-row revisions all pass", () => {
  assert.equal(closedPrefix(rows([[5, 5], [6, 6], [7, 7]])), 3);
});

test("closedPrefix: a shared revision waits for its last row", () => {
  // ids 9 and 12 are one txn at revision 12; 10 belongs to one at 14 whose last row is not read yet
  assert.equal(closedPrefix(rows([[9, 12], [10, 14], [11, 11], [12, 12]])), 0);
  assert.equal(closedPrefix(rows([[8, 8], [9, 12], [10, 10], [11, 11], [12, 12], [13, 15]])), 5);
  assert.equal(closedPrefix(rows([[9, 12], [10, 14], [11, 11], [12, 12], [13, 13], [14, 14]])), 6);
});
