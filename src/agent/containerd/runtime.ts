/**
 * The agent's container runtime in one call, in k3s's order: write the
 * system images into the airgap folder, start (or reuse) containerd, then
 * import every airgap tarball so the sandbox image exists with no network.
 */
import { buildSystemImages, importImages, type ImportResult } from "../images/mod.ts";
import { containerdPaths } from "./paths.ts";
import { startContainerd, type ContainerdOptions, type RunningContainerd } from "./supervise.ts";

/** startContainerd's options plus the image steps. */
export interface AgentRuntimeOptions extends ContainerdOptions {
  /** write the pause/busybox tarball into <dataDir>/agent/images first (default true) */
  systemImages?: boolean;
}

/** A running containerd with the airgap images imported. */
export interface AgentRuntime extends RunningContainerd {
  imported: ImportResult[];
  /** <dataDir>/agent/etc/cni/net.d, the conf dir containerd reads */
  cniConfDir: string;
  /** containerd's root (for image GC thresholds) */
  root: string;
}

/** Builds the system images, starts containerd and imports the airgap images. */
export async function startAgentRuntime(opts: AgentRuntimeOptions): Promise<AgentRuntime> {
  const paths = containerdPaths(opts.dataDir);
  if (opts.systemImages !== false) buildSystemImages(paths.imagesDir);
  const ctd = await startContainerd(opts);
  try {
    const imported = await importImages({ socket: ctd.socket, dir: paths.imagesDir });
    return { ...ctd, imported, cniConfDir: opts.cniConfDir ?? paths.cniConfDir, root: opts.root ?? paths.root };
  } catch (e) {
    await ctd.stop();
    throw e;
  }
}
