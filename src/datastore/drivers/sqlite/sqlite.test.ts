/** Runs the shared datastore suite on SQLite, plus SQLite's own start-up checks. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backendSuite } from "../../log/backend-suite.ts";
import { createBackend } from "../../mod.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "kine-sqlite-"));
  dirs.push(d);
  return d;
};

backendSuite("sqlite", { open: () => createBackend({ dataDir: tempDir() }) });

test("sqlite: default file is <dataDir>/server/db/state.db and data survives reopen", async () => {
  const dir = tempDir();
  const be = await createBackend({ dataDir: dir });
  const rev = await be.create("/keep", Buffer.from("me"));
  const l = await be.leaseGrant(3600);
  await be.close();
  assert.ok(existsSync(join(dir, "server", "db", "state.db")));
  const again = await createBackend({ dataDir: dir, endpoint: `sqlite://${join(dir, "server", "db", "state.db")}?_busy_timeout=1000` });
  try {
    assert.equal((await again.get("/keep")).kv?.modRevision, rev);
    assert.equal(await again.currentRevision(), rev);
    const st = await again.leaseTimeToLive(l.id, false);
    assert.ok(st.ttl > 3500 && st.ttl <= 3600, `lease survived the restart with ttl ${st.ttl}`);
  } finally {
    await again.close();
  }
});
