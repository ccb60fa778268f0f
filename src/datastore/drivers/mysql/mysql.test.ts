/** Runs the shared datastore suite on a MariaDB server started for this test. */
import { before, after } from "node:test";
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
