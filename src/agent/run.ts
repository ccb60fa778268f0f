/**
 * The agent's start-up: containerd with the airgap images, then the kubelet.
 * `k3s server` runs it in-process with an in-process client; `k3s agent`
 * runs it with an HTTPS client after joining.
 */
import type { Client } from "../client/client.ts";
import { startAgentRuntime } from "./containerd/mod.ts";
import { registerLocalKubelet, startKubelet, startKubeletServer, type Kubelet, type KubeletServer } from "../kubelet/mod.ts";
import type { AgentConfig } from "../server/config.ts";
import { errorMessage, log } from "../util/log.ts";
import { k3sNodeLabels, parseNodeTaints } from "./node.ts";

export interface AgentOptions {
  client: Client;
  /** the kubelet's HTTPS port 10250: its serving certificate and the CA of clients it accepts */
  kubeletTLS: { certPEM: string; keyPEM: string; clientCAPEM: string };
  /** this node also runs the control plane (labels it control-plane) */
  controlPlane: boolean;
}

export interface RunningAgent {
  kubelet: Kubelet;
  stop(): Promise<void>;
}

/** Starts containerd and the kubelet for this node. */
export async function startAgent(config: AgentConfig, opts: AgentOptions): Promise<RunningAgent> {
  const labels = k3sNodeLabels(config, opts.controlPlane);
  const taints = parseNodeTaints(config.nodeTaints);
  log.info("Starting containerd");
  const runtime = await startAgentRuntime({
    dataDir: config.dataDir,
    pauseImage: config.pauseImage,
    socket: config.containerRuntimeEndpoint?.replace(/^unix:\/\//, ""),
    privateRegistry: config.privateRegistry,
    debug: config.debug,
    log: (m) => log.info(`containerd: ${m}`),
  });
  for (const r of runtime.imported) log.info(`Imported images from ${r.file}: ${r.images.join(", ")}`);
  log.info(`Starting kubelet for node ${config.nodeName}`);
  const kubelet = await startKubelet({
    client: opts.client,
    nodeName: config.nodeName,
    nodeIPs: config.nodeIPs,
    nodeExternalIPs: config.nodeExternalIPs,
    labels,
    taints,
    criSocket: runtime.socket,
    dataDir: config.dataDir,
    clusterDNS: config.clusterDNS,
    clusterDomain: config.clusterDomain,
    resolvConf: config.resolvConf,
    cni: { confDir: runtime.cniConfDir },
    // upstream's thresholds (85/80 % of the image filesystem); the sandbox image is never collected
    imageGC: { imageFsPath: runtime.root, keep: [config.pauseImage] },
    log: (m) => log.info(`kubelet: ${m}`),
  });
  const unregister = registerLocalKubelet(kubelet);
  let server: KubeletServer | undefined;
  try {
    server = await startKubeletServer(kubelet, { cert: opts.kubeletTLS.certPEM, key: opts.kubeletTLS.keyPEM, clientCA: opts.kubeletTLS.clientCAPEM });
  } catch (err) {
    // pods still run without it; only remote logs/exec and metrics need the port
    log.warn(`kubelet: cannot serve HTTPS on 10250: ${errorMessage(err)}`);
  }
  return {
    kubelet,
    async stop() {
      await server?.close();
      unregister();
      await kubelet.stop();
      // containers stay up: their shims outlive containerd, and the next start reconnects
      await runtime.stop();
    },
  };
}
