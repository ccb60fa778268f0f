/**
 * The kine-ts process the benchmark drives: a datastore plus its etcd endpoint
 * on a free TCP port, printed as "port <n>" once ready.
 * Usage: node --import tsx bench/datastore/server.ts <dataDir> [endpoint]
 */
import { createBackend, startEtcdServer } from "../../src/datastore/mod.ts";

const [dataDir, endpoint] = process.argv.slice(2);
const be = await createBackend({ dataDir, endpoint: endpoint || undefined });
const srv = await startEtcdServer(be, { tcpAddress: "127.0.0.1:0" });
process.stdout.write(`port ${srv.port}\n`);
process.on("SIGTERM", () => {
  void srv
    .close()
    .then(() => be.close())
    .then(() => process.exit(0));
});
