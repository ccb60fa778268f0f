/**
 * A complete throwaway runtime for tests: containerd in a temp dir, the
 * system images imported, and a CNI bridge with its own name and subnet.
 */
import { execFileSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { join } from "node:path";
import { startTestContainerd, type TestContainerd } from "../../agent/containerd/fixture.ts";
import { buildSystemImages, importImages, PAUSE_IMAGE } from "../../agent/images/mod.ts";
import { writeCniConfig } from "../../network/cni/mod.ts";
import { createCriClient, type CriClient } from "./client.ts";

/** A runtime ready for pods. */
export interface TestRuntime {
  containerd: TestContainerd;
  cri: CriClient;
  podCIDR: string;
  bridge: string;
  /** removes every sandbox, stops containerd, deletes the bridge and the temp dir */
  cleanup(): Promise<void>;
}

/** Options for the throwaway runtime. */
export interface TestRuntimeOptions {
  /** write the CNI config now (default true); false leaves it to the code under test */
  withCni?: boolean;
}

/** Starts containerd, imports the system images and (optionally) writes a CNI bridge config. */
export async function startTestRuntime(opts: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const containerd = await startTestContainerd({ pauseImage: PAUSE_IMAGE });
  const cri = createCriClient(containerd.socket);
  const bridge = "k3t" + randomBytes(3).toString("hex");
  const podCIDR = `10.${200 + randomInt(50)}.${randomInt(250)}.0/24`;
  try {
    const imagesDir = join(containerd.dataDir, "agent", "images");
    buildSystemImages(imagesDir);
    await importImages({ socket: containerd.socket, dir: imagesDir });
    if (opts.withCni !== false) {
      writeCniConfig({ confDir: containerd.cniConfDir, podCIDRs: [podCIDR], bridge, ipamDataDir: join(containerd.dir, "ipam") });
    }
  } catch (e) {
    cri.close();
    await containerd.cleanup();
    throw e;
  }
  return {
    containerd,
    cri,
    podCIDR,
    bridge,
    async cleanup() {
      try {
        for (const s of await cri.listPodSandbox()) {
          await cri.stopPodSandbox(s.id).catch(() => {});
          await cri.removePodSandbox(s.id).catch(() => {});
        }
      } finally {
        cri.close();
        await containerd.cleanup();
        try {
          execFileSync("ip", ["link", "del", bridge], { stdio: "ignore" });
        } catch {
          /* never created */
        }
      }
    },
  };
}
