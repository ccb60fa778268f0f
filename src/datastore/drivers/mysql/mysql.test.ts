/** Runs the shared datastore suite on a MariaDB server started for this test. */
import { before, after, test } from "node:test";
import assert from "node:assert/strict";
import { backendSuite } from "../../log/backend-suite.ts";
import { createBackend } from "../../mod.ts";
import { startMariadb, type TestDatabase } from "../../testing/databases.ts";

let pg: TestDatabase;
let n = 0;
before(async () => {
  pg = await startMariadb();
});
after(() => pg?.stop());

const fast = { pollIntervalMs: 200, connectTimeoutMs: 5000 };
backendSuite("mysql", {
  open: () => createBackend({ dataDir: "/nonexistent", endpoint: pg.endpoint(`kine_${++n}`), ...fast }),
  openPeer: () => createBackend({ dataDir: "/nonexistent", endpoint: pg.endpoint(`kine_${n}`), ...fast }),
});

test("servers opening one fresh database at the same moment all start, at one revision", async () => {
  const endpoint = pg.endpoint(`kine_race_${++n}`);
  const backends = await Promise.all(Array.from({ length: 4 }, () => createBackend({ dataDir: "/nonexistent", endpoint, ...fast })));
  try {
    const revisions = await Promise.all(backends.map((b) => b.currentRevision()));
    assert.deepEqual(new Set(revisions).size, 1, `revisions ${revisions.join(", ")}`);
  } finally {
    await Promise.all(backends.map((b) => b.close()));
  }
});
