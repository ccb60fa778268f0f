/**
 * The agent's start-up: containerd with the airgap images, then the kubelet.
 * `k3s server` runs it in-process with an in-process client; `k3s agent`
 * runs it with an HTTPS client after joining.
 */
import type { Client } from "../client/client.ts";
import { readRegistries, startAgentRuntime } from "./containerd/mod.ts";
import { evictionFlagsFromArgs, parseEvictionConfig, registerLocalKubelet, type EvictionConfig, startKubelet, startKubeletServer, type Kubelet, type KubeletServer } from "../kubelet/mod.ts";
import type { AgentConfig } from "../server/config.ts";
import { errorMessage, log } from "../util/log.ts";
import { CONTROL_PLANE_LABELS, k3sNodeLabels, parseNodeTaints } from "./node.ts";
import { R } from "../client/mod.ts";
import { ApiError } from "../client/client.ts";

/** The eviction flags k3s's agent always gives its kubelet (no memory.available threshold, unlike a bare kubelet). */
const K3S_EVICTION_DEFAULTS = { "eviction-hard": "imagefs.available<5%,nodefs.available<5%", "eviction-minimum-reclaim": "imagefs.available=10%,nodefs.available=10%" };

/** The kubelet's eviction settings: k3s's defaults, each replaced by a --kubelet-arg of the same name. */
export function kubeletEvictionConfig(kubeletArgs: readonly string[]): EvictionConfig {
  return parseEvictionConfig({ ...K3S_EVICTION_DEFAULTS, ...evictionFlagsFromArgs(kubeletArgs) });
}

export interface AgentOptions {
  client: Client;
  /** the kubelet's HTTPS port 10250: its serving certificate and the CA of clients it accepts */
  kubeletTLS: { certPEM: string; keyPEM: string; clientCAPEM: string };
  /** this node also runs the control plane: the server labels it control-plane once registered */
  controlPlane: boolean;
  /** a client allowed to label nodes (the server's own), used when controlPlane */
  labeller?: Client;
}

export interface RunningAgent {
  kubelet: Kubelet;
  stop(): Promise<void>;
}

/** Starts containerd and the kubelet for this node. */
export async function startAgent(config: AgentConfig, opts: AgentOptions): Promise<RunningAgent> {
  const labels = k3sNodeLabels(config);
  const taints = parseNodeTaints(config.nodeTaints);
  // a malformed eviction flag stops start-up before containerd runs
  const evictionConfig = kubeletEvictionConfig(config.kubeletArgs);
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
    registries: readRegistries(config.privateRegistry),
    clusterDNS: config.clusterDNS,
    clusterDomain: config.clusterDomain,
    resolvConf: config.resolvConf,
    cni: { confDir: runtime.cniConfDir },
    // upstream's thresholds (85/80 % of the image filesystem); the sandbox image is never collected
    imageGC: { imageFsPath: runtime.root, keep: [config.pauseImage] },
    eviction: { config: evictionConfig },
    log: (m) => log.info(`kubelet: ${m}`),
  });
  const unregister = registerLocalKubelet(kubelet);
  const labelling = new AbortController();
  if (opts.controlPlane && opts.labeller) void labelNode(opts.labeller, config.nodeName, CONTROL_PLANE_LABELS, labelling.signal);
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
      labelling.abort();
      await server?.close();
      unregister();
      await kubelet.stop();
      // containers stay up: their shims outlive containerd, and the next start reconnects
      await runtime.stop();
    },
  };
}

/** Adds labels to a node as soon as it exists (retrying while the kubelet registers it). */
async function labelNode(client: Client, nodeName: string, labels: Record<string, string>, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      await client.patch(R.nodes, undefined, nodeName, "merge", { metadata: { labels } });
      return;
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) log.warn(`labelling node ${nodeName}: ${errorMessage(err)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
