/**
 * Child process of the crash test: 32 writers create and update keys as fast
 * as they can and print one line per acknowledged write, until killed.
 * Usage: node --import tsx crash-writer.ts <dataDir> [endpoint]
 */
import { createBackend } from "../mod.ts";

const [dataDir, endpoint] = process.argv.slice(2);
const be = await createBackend({ dataDir, endpoint });
process.stdout.write("ready\n");

async function writer(w: number): Promise<void> {
  let counterRev = await be.create(`/crash/counter/${w}`, Buffer.from("0"));
  for (let n = 1; ; n++) {
    const rev = await be.create(`/crash/w${w}/${n}`, Buffer.from(`value-${w}-${n}`));
    process.stdout.write(`create /crash/w${w}/${n} ${rev}\n`);
    counterRev = (await be.update(`/crash/counter/${w}`, Buffer.from(String(n)), counterRev)).modRevision;
    process.stdout.write(`counter ${w} ${n}\n`);
  }
}

await Promise.all(Array.from({ length: 32 }, (_, w) => writer(w)));
