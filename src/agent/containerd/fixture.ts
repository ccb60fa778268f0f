/**
 * A throwaway containerd for tests: its own data dir, socket, state and
 * stream port, so tests never touch /run/k3s or each other.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startContainerd, type RunningContainerd } from "./supervise.ts";

/** A free TCP port on 127.0.0.1 (listen on 0, then close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A running throwaway containerd and its directories. */
export interface TestContainerd extends RunningContainerd {
  dir: string;
  dataDir: string;
  cniConfDir: string;
  /** stops containerd and removes its directories */
  cleanup(): Promise<void>;
}

/** What the fixture's containerd is started with. */
export interface TestContainerdOptions {
  pauseImage: string;
}

/** Starts a containerd in a fresh temp dir. */
export async function startTestContainerd(opts: TestContainerdOptions): Promise<TestContainerd> {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-ctd-"));
  const dataDir = join(dir, "data");
  const cniConfDir = join(dataDir, "agent", "etc", "cni", "net.d");
  const running = await startContainerd({
    dataDir,
    pauseImage: opts.pauseImage,
    socket: join(dir, "run", "containerd.sock"),
    streamPort: await freePort(),
    privateRegistry: join(dir, "registries.yaml"),
    log: () => {},
  });
  return {
    ...running,
    dir,
    dataDir,
    cniConfDir,
    async cleanup() {
      await running.stop();
      // overlay mounts under root are gone once containers are removed; tolerate leftovers.
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        /* a busy mount point stays until reboot */
      }
    },
  };
}
