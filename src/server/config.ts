/**
 * The settings `k3s server` and `k3s agent` run with, after flags, K3S_*
 * variables and config files are merged (src/cli builds these).
 */

export interface AgentConfig {
  dataDir: string;
  /** https://host:port of a server to join; absent = the local server in this process */
  serverURL?: string;
  token?: string;
  nodeName: string;
  nodeIPs: string[];
  nodeExternalIPs: string[];
  nodeLabels: string[];
  nodeTaints: string[];
  kubeletArgs: string[];
  kubeProxyArgs: string[];
  /** containerd socket; default /run/k3s/containerd/containerd.sock */
  containerRuntimeEndpoint?: string;
  pauseImage: string;
  privateRegistry: string;
  resolvConf?: string;
  flannelBackend: string;
  disableKubeProxy: boolean;
  disableNetworkPolicy: boolean;
  clusterDNS: string;
  clusterDomain: string;
  debug: boolean;
}

export interface ServerConfig {
  dataDir: string;
  token?: string;
  agentToken?: string;
  httpsListenPort: number;
  /** the supervisor's own port besides the API port (k3s-ts serves it on 9345 too) */
  supervisorPort: number;
  bindAddress: string;
  advertiseAddress?: string;
  advertisePort?: number;
  tlsSANs: string[];
  clusterCIDR: string;
  serviceCIDR: string;
  serviceNodePortRange: [number, number];
  clusterDNS: string;
  clusterDomain: string;
  writeKubeconfig: string;
  /** octal mode, e.g. 0o600 */
  writeKubeconfigMode: number;
  disable: string[];
  disableAgent: boolean;
  disableScheduler: boolean;
  disableHelmController: boolean;
  datastoreEndpoint?: string;
  /** TLS files for an https datastore endpoint (external etcd) */
  datastoreCAFile?: string;
  datastoreCertFile?: string;
  datastoreKeyFile?: string;
  /** serve the etcd v3 API on this TCP address too (host:port) */
  etcdListenAddress?: string;
  kubeAPIServerArgs: string[];
  kubeControllerManagerArgs: string[];
  kubeSchedulerArgs: string[];
  defaultLocalStoragePath: string;
  debug: boolean;
  /** the local agent, unless disableAgent */
  agent: AgentConfig;
}
