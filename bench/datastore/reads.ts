/**
 * Reads of the current state as uncompacted history grows: list 1000 keys
 * and get one key, before and after 30 updates per key (kine answers these
 * with MAX(id) GROUP BY over all history; kine-ts reads its newest-row index).
 * Usage: node --import tsx bench/datastore/reads.ts [endpoint]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackend } from "../../src/datastore/mod.ts";

const dir = mkdtempSync(join(tmpdir(), "kine-reads-"));
const be = await createBackend({ dataDir: dir, endpoint: process.argv[2], compactIntervalMs: 0 });
const KEYS = 1000;
const value = Buffer.alloc(512, 97);

async function timeReads(label: string): Promise<void> {
  const lists: number[] = [];
  const gets: number[] = [];
  for (let i = 0; i < 20; i++) {
    let t = performance.now();
    const r = await be.list("/registry/pods/", { end: "/registry/pods0" });
    lists.push(performance.now() - t);
    if (r.kvs.length !== KEYS) throw new Error(`listed ${r.kvs.length} keys, want ${KEYS}`);
    t = performance.now();
    await be.get(`/registry/pods/p${i}`);
    gets.push(performance.now() - t);
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1].toFixed(2);
  console.log(`${label.padEnd(34)} rows ${String(await be.currentRevision()).padStart(6)}  list ${med(lists)} ms  get ${med(gets)} ms`);
}

try {
  await Promise.all(Array.from({ length: KEYS }, (_, i) => be.create(`/registry/pods/p${i}`, value)));
  await timeReads("1000 keys, no history");
  for (let round = 0; round < 30; round++) await Promise.all(Array.from({ length: KEYS }, (_, i) => be.put(`/registry/pods/p${i}`, value)));
  await timeReads("1000 keys, 30 updates each");
} finally {
  await be.close();
  rmSync(dir, { recursive: true, force: true });
}
