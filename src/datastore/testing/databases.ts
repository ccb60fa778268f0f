/**
 * Throw-away PostgreSQL and MariaDB servers for tests and benchmarks: each in
 * a temp dir on a free port, stopped by PID. A server that cannot start
 * throws with its log, so tests fail loudly instead of skipping.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/** A running database server. */
export interface TestDatabase {
  /** endpoint for a database name, as --datastore-endpoint takes it */
  endpoint(database: string): string;
  stop(): Promise<void>;
}

/** a port nobody listens on right now */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

function uidOf(user: string): { uid: number; gid: number } {
  const r = spawnSync("id", ["-u", user], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", user], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`test database: no user ${user}`);
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

async function waitFor(check: () => boolean, what: string, child: ChildProcess, log: () => string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${log()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${ms} ms: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) process.kill(child.pid, "SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

/** starts PostgreSQL 15 (initdb + postgres, as the postgres user when run as root) */
export async function startPostgres(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "kine-pg-"));
  const data = join(dir, "data");
  const asRoot = userInfo().uid === 0;
  const ids = asRoot ? uidOf("postgres") : undefined;
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const init = spawnSync("/usr/local/bin/initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"], {
    encoding: "utf8",
    ...(ids ?? {}),
    cwd: dir,
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error}`);
  const port = await freePort();
  const logFile = join(dir, "postgres.log");
  const child = spawn(
    "/usr/local/bin/postgres",
    ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=on", "-c", "max_connections=200"],
    { ...(ids ?? {}), cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  await waitFor(() => log.includes("ready to accept connections"), "postgres", child, () => log);
  void logFile;
  return { endpoint: (db) => `postgres://postgres@127.0.0.1:${port}/${db}?sslmode=disable`, stop: stopper(child, dir) };
}

/** starts MariaDB (mariadb-install-db + mariadbd with its own datadir, socket and port) */
export async function startMariadb(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "kine-mariadb-"));
  const data = join(dir, "data");
  const tmp = join(dir, "tmp");
  mkdirSync(tmp);
  // a private tmpdir: concurrent installs sharing /tmp have failed with "Unknown table 'mysql.tmp_user_sys'"
  const install = spawnSync("mariadb-install-db", ["--no-defaults", `--datadir=${data}`, `--tmpdir=${tmp}`, "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"], {
    encoding: "utf8",
  });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.error}`);
  const port = await freePort();
  const sock = join(dir, "mysqld.sock");
  const child = spawn(
    "/usr/sbin/mariadbd",
    [
      "--no-defaults",
      `--datadir=${data}`,
      `--tmpdir=${tmp}`,
      `--socket=${sock}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      "--user=root",
      "--skip-grant-tables",
      `--pid-file=${join(dir, "mysqld.pid")}`,
      "--innodb-flush-log-at-trx-commit=1",
      "--max-connections=300",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  await waitFor(() => existsSync(sock) && log.includes("ready for connections"), "mariadbd", child, () => log + readIfExists(join(data, "error.log")));
  return { endpoint: (db) => `mysql://root@tcp(127.0.0.1:${port})/${db}`, stop: stopper(child, dir) };
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}
