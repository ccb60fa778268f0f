/**
 * Runs containerd as a child process and keeps it running. It is spawned
 * detached (own session) so containers and containerd itself outlive the
 * k3s process; the next start reuses a healthy containerd on the socket.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeContainerdConfig } from "./config.ts";
import { containerdPaths, DEFAULT_CNI_BIN_DIR, DEFAULT_CONTAINERD_SOCKET, DEFAULT_CONTAINERD_STATE } from "./paths.ts";
import { readRegistries, registryAuth, writeCertsDir } from "./registries.ts";

/** How to run the agent's containerd. */
export interface ContainerdOptions {
  dataDir: string;
  pauseImage: string;
  /** default /run/k3s/containerd/containerd.sock */
  socket?: string;
  /** default /run/k3s/containerd */
  state?: string;
  /** default <dataDir>/agent/containerd */
  root?: string;
  /** CRI streaming port on 127.0.0.1, default 10010 */
  streamPort?: number;
  /** registries.yaml; default /etc/rancher/k3s/registries.yaml */
  privateRegistry?: string;
  cniBinDir?: string;
  /** default <dataDir>/agent/etc/cni/net.d */
  cniConfDir?: string;
  /** the containerd binary, default "containerd" on PATH */
  containerdBin?: string;
  debug?: boolean;
  /** for messages about restarts; default console.error */
  log?: (msg: string) => void;
}

/** A containerd the agent can talk to. */
export interface RunningContainerd {
  socket: string;
  streamPort: number;
  configFile: string;
  /** PID of the containerd this call started, undefined when an existing one was reused */
  pid(): number | undefined;
  /** stops supervising and terminates the containerd started here (running containers stay up) */
  stop(): Promise<void>;
}

/** Whether a containerd answers on the socket (runs `ctr version`). */
export function containerdHealthy(socket: string, timeoutMs = 3000): Promise<boolean> {
  if (!existsSync(socket)) return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile("ctr", ["-a", socket, "version"], { timeout: timeoutMs }, (err, stdout) => {
      resolve(!err && /Server:/.test(stdout));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function logTail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "";
  }
}

interface PidFile {
  pid: number;
  config: string;
}

function readPidFile(path: string): PidFile | undefined {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as PidFile;
    return Number.isInteger(v.pid) && typeof v.config === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}

function writePidFile(path: string, pid: number | undefined, config: string): void {
  if (pid !== undefined) writeFileSync(path, JSON.stringify({ pid, config }));
}

/** Whether pid is a containerd running with this config (pids get reused). */
function processRuns(pid: number, config: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return cmdline.some((a) => a.endsWith("containerd")) && cmdline.includes(config);
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after 10 s, of a containerd this program started. */
async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Writes config and registry files, then starts (or reuses) containerd and waits for its socket. */
export async function startContainerd(opts: ContainerdOptions): Promise<RunningContainerd> {
  const paths = containerdPaths(opts.dataDir);
  const socket = opts.socket ?? DEFAULT_CONTAINERD_SOCKET;
  const state = opts.state ?? (opts.socket ? dirname(opts.socket) : DEFAULT_CONTAINERD_STATE);
  const root = opts.root ?? paths.root;
  const streamPort = opts.streamPort ?? 10010;
  const log = opts.log ?? ((m: string) => console.error(m));
  const regs = readRegistries(opts.privateRegistry ?? "/etc/rancher/k3s/registries.yaml");
  for (const d of [root, state, paths.cniConfDir, opts.cniConfDir ?? paths.cniConfDir, paths.imagesDir]) {
    mkdirSync(d, { recursive: true });
  }
  writeCertsDir(paths.certsDir, regs);
  writeContainerdConfig(
    {
      root,
      state,
      socket,
      pauseImage: opts.pauseImage,
      streamPort,
      certsDir: paths.certsDir,
      cniBinDir: opts.cniBinDir ?? DEFAULT_CNI_BIN_DIR,
      cniConfDir: opts.cniConfDir ?? paths.cniConfDir,
      registryAuth: registryAuth(regs),
      debug: opts.debug,
    },
    { configFile: paths.configFile, templateFile: paths.templateFile },
  );

  let child: ChildProcess | undefined;
  let stopping = false;
  let reusedWatch: NodeJS.Timeout | undefined;

  const spawnOne = (): ChildProcess => {
    mkdirSync(dirname(paths.logFile), { recursive: true });
    // A socket left by a dead containerd would make it refuse to start.
    rmSync(socket, { force: true });
    const fd = openSync(paths.logFile, "a");
    const c = spawn(opts.containerdBin ?? "containerd", ["--config", paths.configFile], {
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    closeSync(fd);
    c.unref();
    c.on("exit", (code, signal) => {
      if (child !== c) return;
      child = undefined;
      if (stopping) return;
      log(`containerd (pid ${c.pid}) exited with ${code ?? signal}; restarting`);
      void sleep(1000).then(() => {
        if (stopping || child !== undefined) return;
        child = spawnOne();
        writePidFile(pidFile, child.pid, paths.configFile);
      });
    });
    return c;
  };

  const pidFile = join(state, "containerd.pid");
  const previous = readPidFile(pidFile);
  let adopted: number | undefined;
  if (await containerdHealthy(socket)) {
    if (previous && previous.config === paths.configFile && processRuns(previous.pid, paths.configFile)) {
      // the containerd an earlier k3s of this data dir started: keep it, so running containers are untouched
      log(`reusing the containerd already answering on ${socket}`);
      adopted = previous.pid;
    } else if (previous && processRuns(previous.pid, previous.config)) {
      // started by k3s for another data dir: it must not serve this one
      log(`stopping containerd pid ${previous.pid} (config ${previous.config}) to start one for ${paths.configFile}`);
      await terminate(previous.pid);
    } else {
      throw new Error(`a containerd that k3s did not start answers on ${socket}; stop it or pass --container-runtime-endpoint`);
    }
  }
  if (adopted !== undefined) {
    const pid = adopted;
    // Not our child: watch it, and start our own if it goes away.
    reusedWatch = setInterval(() => {
      if (stopping || child) return;
      if (!processRuns(pid, paths.configFile)) {
        log(`containerd (pid ${pid}) on ${socket} went away; starting one`);
        adopted = undefined;
        child = spawnOne();
        writePidFile(pidFile, child.pid, paths.configFile);
      }
    }, 5000);
    reusedWatch.unref();
  } else {
    child = spawnOne();
    writePidFile(pidFile, child.pid, paths.configFile);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (await containerdHealthy(socket, 2000)) break;
      if (Date.now() > deadline) {
        stopping = true;
        child?.kill("SIGKILL");
        throw new Error(`containerd did not answer on ${socket} within 30s:\n${logTail(paths.logFile)}`);
      }
      await sleep(100);
    }
  }

  return {
    socket,
    streamPort,
    configFile: paths.configFile,
    pid: () => child?.pid ?? adopted,
    async stop() {
      stopping = true;
      if (reusedWatch) clearInterval(reusedWatch);
      if (adopted !== undefined) {
        await terminate(adopted);
        adopted = undefined;
        return;
      }
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null || c.pid === undefined) return;
      const exited = new Promise<void>((r) => c.once("exit", () => r()));
      c.kill("SIGTERM");
      const t = setTimeout(() => c.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}
