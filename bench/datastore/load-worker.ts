/**
 * One load process of the benchmark: runs its share of the clients and
 * prints its raw figures as JSON.
 * Usage: node --import tsx bench/datastore/load-worker.ts <url> <clients> <durationMs> <prefix>
 */
import { runSample } from "./load.ts";

const [url, clients, durationMs, prefix] = process.argv.slice(2);
const sample = await runSample(url, { clients: Number(clients), durationMs: Number(durationMs), prefix });
process.stdout.write(JSON.stringify(sample));
