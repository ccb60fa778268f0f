/**
 * kill -9 at a random moment under 32 concurrent writers loses no
 * acknowledged write, and the database opens again (SQLite, the default).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createBackend } from "../mod.ts";

const writerScript = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));

test("sqlite: every acknowledged write survives kill -9", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "kine-crash-"));
  try {
    for (let round = 0; round < 2; round++) {
      const child = spawn(process.execPath, ["--import", "tsx", writerScript, dir], { stdio: ["ignore", "pipe", "inherit"] });
      const created = new Map<string, number>();
      const counters = new Map<number, number>();
      let buf = "";
      let ready = false;
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split("\n");
        buf = lines.pop() ?? "";
        for (const line of lines) {
          const [kind, a, b] = line.split(" ");
          if (kind === "ready") ready = true;
          else if (kind === "create") created.set(a, Number(b));
          else if (kind === "counter") counters.set(Number(a), Number(b));
        }
      });
      const exited = new Promise((r) => child.once("exit", r));
      const deadline = Date.now() + 30_000;
      while (!ready && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(ready, "writer started");
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1200));
      process.kill(child.pid as number, "SIGKILL");
      await exited;
      t.diagnostic(`round ${round}: ${created.size} acknowledged creates before kill -9`);
      assert.ok(created.size > 100, `writers acknowledged ${created.size} creates before the kill`);
      const be = await createBackend({ dataDir: dir });
      try {
        for (const [key, rev] of created) {
          const got = await be.get(key);
          assert.equal(got.kv?.modRevision, rev, `acknowledged ${key} at ${rev} is there`);
        }
        for (const [w, n] of counters) {
          const got = await be.get(`/crash/counter/${w}`);
          assert.ok(Number(got.kv?.value.toString()) >= n, `counter ${w} is at least ${n}`);
        }
        // the next round's writers start over on the same keys
        await be.deleteRange("/crash/", "/crash0");
      } finally {
        await be.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
