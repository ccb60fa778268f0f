/** An unreachable database at start-up is retried with back-off and logged, then reported with its address. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createBackend } from "../../mod.ts";
import { freePort } from "../../testing/databases.ts";

test("postgres nobody listens on: retried, logged, then a clear error", async () => {
  const port = await freePort();
  const logs: string[] = [];
  const started = Date.now();
  await assert.rejects(
    createBackend({ dataDir: "/nonexistent", endpoint: `postgres://u@127.0.0.1:${port}/db`, connectTimeoutMs: 1500, log: (m) => logs.push(m) }),
    new RegExp(`cannot reach postgres 127.0.0.1:${port} after \\d+ attempts`),
  );
  assert.ok(logs.length >= 2, `retries were logged: ${logs.length}`);
  assert.match(logs[0], /not reachable \(attempt 1\).*retrying in 250 ms/);
  assert.ok(Date.now() - started >= 700, "it waited between attempts");
});

test("mysql nobody listens on: the same", async () => {
  const port = await freePort();
  const logs: string[] = [];
  await assert.rejects(
    createBackend({ dataDir: "/nonexistent", endpoint: `mysql://root@tcp(127.0.0.1:${port})/db`, connectTimeoutMs: 1000, log: (m) => logs.push(m) }),
    new RegExp(`cannot reach mysql 127.0.0.1:${port}`),
  );
  assert.ok(logs.length >= 2);
});
