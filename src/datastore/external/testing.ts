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
  /** the client port (default: a free one) */
  port?: number;
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
  const [port, peer] = [opts.port ?? (await freePort()), await freePort()];
  const pki = opts.tls ? writeTestPki(dir) : undefined;
  const member = { name: "test", port, peer };
  return startMember(member, { dir, cluster: [member], pki, ownsDir: true });
}

/** A running etcd cluster of several members on this machine. */
export interface TestEtcdCluster {
  members: TestEtcd[];
  /** every member's client URL, comma-separated as --datastore-endpoint takes them */
  endpoint: string;
  stop(): Promise<void>;
}

/** starts an n-member etcd cluster (plain http) in one temp dir */
export async function startTestEtcdCluster(n: number): Promise<TestEtcdCluster> {
  const dir = mkdtempSync(join(tmpdir(), "k3s-etcd-cluster-"));
  const specs: MemberSpec[] = [];
  for (let i = 0; i < n; i++) specs.push({ name: `m${i}`, port: await freePort(), peer: await freePort() });
  // the members find each other while starting: launch them together
  const members = await Promise.all(specs.map((m) => startMember(m, { dir, cluster: specs, ownsDir: false })));
  return {
    members,
    endpoint: members.map((m) => m.endpoint).join(","),
    stop: async () => {
      await Promise.all(members.map((m) => m.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface MemberSpec {
  name: string;
  port: number;
  peer: number;
}

interface MemberPlace {
  dir: string;
  cluster: MemberSpec[];
  pki?: TestPki;
  /** stop() removes dir (a lone member's temp dir) */
  ownsDir: boolean;
}

function memberArgs(m: MemberSpec, place: MemberPlace, endpoint: string): string[] {
  const pki = place.pki;
  return [
    `--name=${m.name}`,
    `--data-dir=${join(place.dir, `data-${m.name}`)}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=http://127.0.0.1:${m.peer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${m.peer}`,
    `--initial-cluster=${place.cluster.map((c) => `${c.name}=http://127.0.0.1:${c.peer}`).join(",")}`,
    // etcd's smallest lease TTL is 1.5 election ticks of heartbeats: 150 ms here, so 1 s leases are granted as asked
    "--heartbeat-interval=10",
    "--election-timeout=100",
    "--log-level=error",
    ...(pki ? [`--cert-file=${pki.serverCertFile}`, `--key-file=${pki.serverKeyFile}`, `--trusted-ca-file=${pki.caFile}`, "--client-cert-auth"] : []),
  ];
}

async function startMember(m: MemberSpec, place: MemberPlace): Promise<TestEtcd> {
  const endpoint = `${place.pki ? "https" : "http"}://127.0.0.1:${m.port}`;
  const args = memberArgs(m, place, endpoint);
  let child: ChildProcess;
  let log = "";
  const launch = async () => {
    log = "";
    child = spawn("etcd", args, { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    await waitForPort(m.port, child, () => log);
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
    port: m.port,
    dataDir: place.dir,
    pki: place.pki,
    get pid() {
      return child.pid ?? 0;
    },
    kill,
    restart: launch,
    stop: async () => {
      await kill();
      if (place.ownsDir) rmSync(place.dir, { recursive: true, force: true });
    },
  };
}
