/** `k3s agent`: runs containerd, the kubelet and the node's networking. */
import type { AgentConfig } from "../server/config.ts";

/** Runs the agent until the process is told to stop. */
export async function runAgent(config: AgentConfig): Promise<void> {
  throw new Error(`k3s agent is not wired yet (node ${config.nodeName})`);
}
