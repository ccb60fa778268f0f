/** Runs the shared datastore suite on SQLite, plus SQLite's own start-up checks. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, existsSync, statSync } from "node:fs";
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

test("sqlite: after 16 MiB of writes a checkpoint (in its worker) fills the database file; data survives reopen", async () => {
  const dir = tempDir();
  const db = join(dir, "server", "db", "state.db");
  const be = await createBackend({ dataDir: dir });
  const value = Buffer.alloc(512 << 10, 7);
  try {
    for (let i = 0; i < 40; i++) await be.put(`/big/${i}`, value);
    const before = statSync(db).size;
    const deadline = Date.now() + 10_000;
    while (statSync(db).size < 16 << 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(statSync(db).size >= 16 << 20, `database file grew from ${before} to ${statSync(db).size} bytes`);
    for (let i = 40; i < 44; i++) await be.put(`/big/${i}`, value);
  } finally {
    await be.close();
  }
  assert.equal(existsSync(`${db}-wal`), false, "the last connection's close removed the WAL");
  const again = await createBackend({ dataDir: dir });
  try {
    const all = await again.list("/big/", { end: "/big0" });
    assert.equal(all.kvs.length, 44);
    assert.ok(all.kvs.every((kv) => kv.value.equals(value)));
  } finally {
    await again.close();
  }
});
