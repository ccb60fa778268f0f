/** `k3s server`: brings up the control plane (and the local agent). */
import type { ServerConfig } from "./config.ts";

/** Runs the server until the process is told to stop. */
export async function runServer(config: ServerConfig): Promise<void> {
  throw new Error(`k3s server is not wired yet (data dir ${config.dataDir})`);
}
