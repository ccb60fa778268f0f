/**
 * Throw-away etcd servers (Debian's etcd-server) for tests: each in a temp
 * dir on free ports, optionally https with client certificates made by our
 * own PKI module, stopped by PID. Short raft timers make 1-second leases
 * possible, as the shared backend suite grants them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../testing/databases.ts";
import { createSelfSignedCA, generateKey, privateKeyPEM, signCertificate } from "../../server/pki/mod.ts";

/** Files of a test PKI: a CA, a server certificate for 127.0.0.1 and a client certificate. */
export interface TestPki {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
}

/** writes a CA, a serving certificate (127.0.0.1, localhost) and a client certificate into dir */
export function writeTestPki(dir: string): TestPki {
  const caKey = generateKey();
  const ca = { certPEM: createSelfSignedCA(caKey, { cn: "etcd-test-ca" }), keyPEM: privateKeyPEM(caKey) };
  const leaf = (cn: string, usages: ("server" | "client")[]) => {
    const key = generateKey();
    return { cert: signCertificate(ca, { publicKey: key, subject: { cn }, sans: ["127.0.0.1", "localhost"], usages }), key: privateKeyPEM(key) };
  };
  const server = leaf("etcd-server", ["server", "client"]);
  const client = leaf("k3s-datastore-client", ["client"]);
  const pki: TestPki = {
    dir,
    caFile: join(dir, "ca.crt"),
    serverCertFile: join(dir, "server.crt"),
    serverKeyFile: join(dir, "server.key"),
    clientCertFile: join(dir, "client.crt"),
    clientKeyFile: join(dir, "client.key"),
  };
  writeFileSync(pki.caFile, ca.certPEM);
  writeFileSync(pki.serverCertFile, server.cert);
  writeFileSync(pki.serverKeyFile, server.key, { mode: 0o600 });
  writeFileSync(pki.clientCertFile, client.cert);
  writeFileSync(pki.clientKeyFile, client.key, { mode: 0o600 });
  return pki;
}

/** A running etcd. */
export interface TestEtcd {
  /** the client URL, http(s)://127.0.0.1:port */
  endpoint: string;
  port: number;
  dataDir: string;
  /** with tls: the PKI it trusts and serves */
  pki?: TestPki;
  pid: number;
  /** stops the process (the data dir stays, for a restart) */
  kill(): Promise<void>;
  /** starts it again on the same port and data */
  restart(): Promise<void>;
  /** stops it and removes its files */
  stop(): Promise<void>;
}

/** Options of startTestEtcd. */
export interface TestEtcdOptions {
  /** serve https and require client certificates */
  tls?: boolean;
}

function waitForPort(port: number, child: ChildProcess, log: () => string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`etcd exited with ${child.exitCode}: ${log()}`));
      if (Date.now() > deadline) return reject(new Error(`etcd did not listen on ${port} within ${ms} ms: ${log()}`));
      const s = createConnection(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve()));
      s.once("error", () => setTimeout(attempt, 100));
    };
    attempt();
  });
}

/** starts etcd in a temp dir on free ports; throws with its log when it cannot start */
export async function startTestEtcd(opts: TestEtcdOptions = {}): Promise<TestEtcd> {
  const dir = mkdtempSync(join(tmpdir(), "k3s-etcd-test-"));
  const [port, peer] = [await freePort(), await freePort()];
  const pki = opts.tls ? writeTestPki(dir) : undefined;
  const scheme = pki ? "https" : "http";
  const endpoint = `${scheme}://127.0.0.1:${port}`;
  const args = [
    "--name=test",
    `--data-dir=${join(dir, "data")}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-cluster=test=http://127.0.0.1:${peer}`,
    // etcd's smallest lease TTL is 1.5 election ticks of heartbeats: 150 ms here, so 1 s leases are granted as asked
    "--heartbeat-interval=10",
    "--election-timeout=100",
    "--log-level=error",
    ...(pki ? [`--cert-file=${pki.serverCertFile}`, `--key-file=${pki.serverKeyFile}`, `--trusted-ca-file=${pki.caFile}`, "--client-cert-auth"] : []),
  ];
  let child: ChildProcess;
  let log = "";
  const launch = async () => {
    log = "";
    child = spawn("etcd", args, { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    await waitForPort(port, child, () => log);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(child.pid, "SIGKILL");
    await exited;
  };
  await launch();
  return {
    endpoint,
    port,
    dataDir: dir,
    pki,
    get pid() {
      return child.pid ?? 0;
    },
    kill,
    restart: launch,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
