/** Runs the shared datastore suite on a PostgreSQL 15 server started for this test. */
import { before, after } from "node:test";
import { backendSuite } from "../../log/backend-suite.ts";
import { createBackend } from "../../mod.ts";
import { startPostgres, type TestDatabase } from "../../testing/databases.ts";

let pg: TestDatabase;
let n = 0;
before(async () => {
  pg = await startPostgres();
});
after(() => pg?.stop());

const fast = { pollIntervalMs: 200, connectTimeoutMs: 5000 };
backendSuite("postgres", {
  open: () => createBackend({ dataDir: "/nonexistent", endpoint: pg.endpoint(`kine_${++n}`), ...fast }),
  openPeer: () => createBackend({ dataDir: "/nonexistent", endpoint: pg.endpoint(`kine_${n}`), ...fast }),
});
