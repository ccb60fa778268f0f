/**
 * Runs containerd as a child process and keeps it running. It is spawned
 * detached (own session) so containers and containerd itself outlive the
 * k3s process; the next start reuses a healthy containerd on the socket.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
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
        if (!stopping && child === undefined) child = spawnOne();
      });
    });
    return c;
  };

  if (await containerdHealthy(socket)) {
    log(`reusing the containerd already answering on ${socket}`);
    // Not our child: watch it, and start our own if it goes away.
    reusedWatch = setInterval(() => {
      if (stopping || child) return;
      void containerdHealthy(socket).then((ok) => {
        if (!ok && !stopping && !child) {
          log(`containerd on ${socket} stopped answering; starting one`);
          child = spawnOne();
        }
      });
    }, 5000);
    reusedWatch.unref();
  } else {
    child = spawnOne();
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
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      if (reusedWatch) clearInterval(reusedWatch);
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
