/** `k3s agent`: joins a server, then runs containerd, the kubelet and the node's networking. */
import { httpsClient } from "../client/mod.ts";
import type { AgentConfig } from "../server/config.ts";
import { joinServer } from "../supervisor/mod.ts";
import { K3S_VERSION } from "../cli/version.ts";
import { log, setDebug } from "../util/log.ts";
import { startAgent } from "./run.ts";

export { startAgent, type AgentOptions, type RunningAgent } from "./run.ts";

/** Runs the agent until the process is told to stop (SIGTERM/SIGINT). */
export async function runAgent(config: AgentConfig): Promise<void> {
  setDebug(config.debug);
  log.info(`Starting k3s agent ${K3S_VERSION}`);
  if (!config.serverURL) throw new Error("k3s agent needs --server (or K3S_URL)");
  if (!config.token) throw new Error("k3s agent needs --token, --token-file (or K3S_TOKEN)");
  const joined = await joinServer({
    serverURL: config.serverURL,
    token: config.token,
    nodeName: config.nodeName,
    nodeIPs: config.nodeIPs,
    dataDir: config.dataDir,
  });
  log.info(`Joined ${config.serverURL}: cluster CIDR ${joined.settings.clusterCIDR}, cluster DNS ${joined.settings.clusterDNS}`);
  const client = httpsClient({
    server: config.serverURL,
    caPEM: joined.caPEM,
    certPEM: joined.clientCertPEM,
    keyPEM: joined.clientKeyPEM,
    userAgent: `k3s-ts-agent/${K3S_VERSION}`,
  });
  const agent = await startAgent(
    { ...config, clusterDNS: joined.settings.clusterDNS, clusterDomain: joined.settings.clusterDomain },
    { client, controlPlane: false, kubeletTLS: { certPEM: joined.servingCertPEM, keyPEM: joined.servingKeyPEM, clientCAPEM: joined.clientCAPEM } },
  );
  log.info(`k3s agent is running as node ${config.nodeName}`);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", () => resolve());
    process.once("SIGINT", () => resolve());
  });
  log.info("Shutting down");
  await agent.stop();
}
