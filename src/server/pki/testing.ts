/** A complete ServerConfig for tests in src/server (fixed node name and IP, temp data dir). */
import { join } from "node:path";
import type { ServerConfig } from "../config.ts";

/** A ServerConfig rooted at `dataDir` with k3s defaults and the given fields replaced. */
export function serverConfigForTest(dataDir: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    dataDir,
    httpsListenPort: 6443,
    supervisorPort: 9345,
    bindAddress: "0.0.0.0",
    tlsSANs: [],
    clusterCIDR: "10.42.0.0/16",
    serviceCIDR: "10.43.0.0/16",
    serviceNodePortRange: [30000, 32767],
    clusterDNS: "10.43.0.10",
    clusterDomain: "cluster.local",
    writeKubeconfig: join(dataDir, "k3s.yaml"),
    writeKubeconfigMode: 0o600,
    disable: [],
    disableAgent: true,
    disableScheduler: false,
    disableHelmController: false,
    kubeAPIServerArgs: [],
    kubeControllerManagerArgs: [],
    kubeSchedulerArgs: [],
    defaultLocalStoragePath: join(dataDir, "storage"),
    debug: false,
    agent: {
      dataDir,
      nodeName: "node-a",
      nodeIPs: ["192.168.50.7"],
      nodeExternalIPs: [],
      nodeLabels: [],
      nodeTaints: [],
      kubeletArgs: [],
      kubeProxyArgs: [],
      pauseImage: "rancher/mirrored-pause:3.6",
      privateRegistry: "/etc/rancher/k3s/registries.yaml",
      flannelBackend: "vxlan",
      disableKubeProxy: false,
      disableNetworkPolicy: false,
      clusterDNS: "10.43.0.10",
      clusterDomain: "cluster.local",
      debug: false,
    },
    ...overrides,
  };
}

