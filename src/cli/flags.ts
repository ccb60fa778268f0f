/**
 * The flags of `k3s server` and `k3s agent` as data: names, aliases,
 * K3S_* variables and defaults as k3s has them. Flags k3s has that k3s-ts
 * does not act on yet are accepted with `unimplemented` so the parser can
 * warn about them instead of ignoring them silently.
 */

/** How a flag's value is read. */
export type FlagKind = "string" | "bool" | "int" | "list";

/** One command-line flag. */
export interface FlagDef {
  name: string;
  aliases?: string[];
  /** environment variables consulted when neither the command line nor a config file set the flag */
  env?: string[];
  kind: FlagKind;
  /** shown in --help; computed defaults (data dir, node name) are filled in by the config builder */
  default?: string | number | boolean | string[];
  usage: string;
  /** help section, as k3s groups its flags */
  category: string;
  /** list values are also split on commas, as k3s does for --disable, --tls-san, --node-ip */
  split?: boolean;
  /** accepted for compatibility; k3s-ts warns that it does nothing yet */
  unimplemented?: boolean;
  hidden?: boolean;
}

/** The default config file, overridden by --config or K3S_CONFIG_FILE. */
export const DEFAULT_CONFIG_FILE = "/etc/rancher/k3s/config.yaml";
/** The admin kubeconfig k3s writes. */
export const DEFAULT_KUBECONFIG = "/etc/rancher/k3s/k3s.yaml";

const common: FlagDef[] = [
  { name: "config", aliases: ["c"], env: ["K3S_CONFIG_FILE"], kind: "string", default: DEFAULT_CONFIG_FILE, usage: "Load configuration from FILE", category: "config" },
  { name: "debug", env: ["K3S_DEBUG"], kind: "bool", usage: "Turn on debug logs", category: "logging" },
  { name: "v", kind: "int", default: 0, usage: "Number for the log level verbosity", category: "logging", unimplemented: true },
  { name: "vmodule", kind: "string", usage: "Comma-separated list of FILE_PATTERN=LOG_LEVEL settings for file-filtered logging", category: "logging", unimplemented: true },
  { name: "log", aliases: ["l"], kind: "string", usage: "Log to file", category: "logging", unimplemented: true },
  { name: "alsologtostderr", kind: "bool", usage: "Log to standard error as well as file (if set)", category: "logging", unimplemented: true },
  { name: "data-dir", aliases: ["d"], env: ["K3S_DATA_DIR"], kind: "string", usage: "Folder to hold state (default: /var/lib/rancher/k3s or ${HOME}/.rancher/k3s if not root)", category: "data" },
];

const node: FlagDef[] = [
  { name: "node-name", env: ["K3S_NODE_NAME"], kind: "string", usage: "Node name (default: the hostname, lower-cased)", category: "agent/node" },
  { name: "with-node-id", kind: "bool", usage: "Append id to node name", category: "agent/node" },
  { name: "node-label", kind: "list", usage: "Registering and starting kubelet with set of labels", category: "agent/node" },
  { name: "node-taint", kind: "list", usage: "Registering kubelet with set of taints", category: "agent/node" },
  { name: "image-credential-provider-bin-dir", kind: "string", default: "/var/lib/rancher/credentialprovider/bin", usage: "The path to the directory where credential provider plugin binaries are located", category: "agent/node", unimplemented: true },
  { name: "image-credential-provider-config", kind: "string", default: "/var/lib/rancher/credentialprovider/config.yaml", usage: "The path to the credential provider plugin config file", category: "agent/node", unimplemented: true },
  { name: "docker", kind: "bool", usage: "Use cri-dockerd instead of containerd", category: "agent/runtime", unimplemented: true },
  { name: "container-runtime-endpoint", kind: "string", usage: "Disable embedded containerd and use the CRI socket at the given path", category: "agent/runtime" },
  { name: "default-runtime", kind: "string", usage: "Set the default runtime in containerd", category: "agent/runtime", unimplemented: true },
  { name: "image-service-endpoint", kind: "string", usage: "Disable embedded containerd image service and use remote image service socket", category: "agent/runtime", unimplemented: true },
  { name: "disable-default-registry-endpoint", kind: "bool", usage: "Disables containerd's fallback default registry endpoint", category: "agent/runtime", unimplemented: true },
  { name: "pause-image", kind: "string", usage: "Customized pause image for containerd or docker sandbox", category: "agent/runtime" },
  { name: "snapshotter", kind: "string", default: "overlayfs", usage: "Override default containerd snapshotter", category: "agent/runtime", unimplemented: true },
  { name: "private-registry", kind: "string", default: "/etc/rancher/k3s/registries.yaml", usage: "Private registry configuration file", category: "agent/runtime" },
  { name: "node-ip", aliases: ["i"], kind: "list", split: true, usage: "IPv4/IPv6 addresses to advertise for node", category: "agent/networking" },
  { name: "node-external-ip", kind: "list", split: true, usage: "IPv4/IPv6 external IP addresses to advertise for node", category: "agent/networking" },
  { name: "node-internal-dns", kind: "list", split: true, usage: "Internal DNS addresses to advertise for node", category: "agent/networking", unimplemented: true },
  { name: "node-external-dns", kind: "list", split: true, usage: "External DNS addresses to advertise for node", category: "agent/networking", unimplemented: true },
  { name: "resolv-conf", env: ["K3S_RESOLV_CONF"], kind: "string", usage: "Kubelet resolv.conf file", category: "agent/networking" },
  { name: "flannel-iface", kind: "string", usage: "Override default flannel interface", category: "agent/networking", unimplemented: true },
  { name: "flannel-conf", kind: "string", usage: "Override default flannel config file", category: "agent/networking", unimplemented: true },
  { name: "flannel-cni-conf", kind: "string", usage: "Override default flannel cni config file", category: "agent/networking", unimplemented: true },
  { name: "vpn-auth", env: ["K3S_VPN_AUTH"], kind: "string", usage: "Credentials for the VPN provider", category: "agent/networking", unimplemented: true },
  { name: "vpn-auth-file", env: ["K3S_VPN_AUTH_FILE"], kind: "string", usage: "File containing credentials for the VPN provider", category: "agent/networking", unimplemented: true },
  { name: "kubelet-arg", kind: "list", usage: "Customized flag for kubelet process", category: "agent/flags" },
  { name: "kube-proxy-arg", kind: "list", usage: "Customized flag for kube-proxy process", category: "agent/flags" },
  { name: "protect-kernel-defaults", kind: "bool", usage: "Kernel tuning behavior", category: "experimental", unimplemented: true },
  { name: "selinux", env: ["K3S_SELINUX"], kind: "bool", usage: "Enable SELinux in containerd", category: "experimental", unimplemented: true },
  { name: "lb-server-port", env: ["K3S_LB_SERVER_PORT"], kind: "int", default: 6444, usage: "Local port for supervisor client load-balancer", category: "experimental", unimplemented: true },
  { name: "airgap-extra-registry", kind: "list", usage: "Additional registry to tag airgap images as being sourced from", category: "agent/runtime", unimplemented: true },
];

const serverOnly: FlagDef[] = [
  { name: "bind-address", kind: "string", default: "0.0.0.0", usage: "k3s bind address", category: "listener" },
  { name: "https-listen-port", kind: "int", default: 6443, usage: "HTTPS listen port", category: "listener" },
  { name: "supervisor-port", env: ["K3S_SUPERVISOR_PORT"], kind: "int", default: 9345, usage: "Supervisor listen port (k3s-ts serves the supervisor on the API port and on this one)", category: "listener" },
  { name: "apiserver-port", kind: "int", default: 6444, usage: "apiserver internal listen port", category: "listener", unimplemented: true, hidden: true },
  { name: "apiserver-bind-address", kind: "string", usage: "apiserver internal bind address", category: "listener", unimplemented: true, hidden: true },
  { name: "advertise-address", kind: "string", usage: "IPv4/IPv6 address that apiserver uses to advertise to members of the cluster (default: node-external-ip/node-ip)", category: "listener" },
  { name: "advertise-port", kind: "int", usage: "Port that apiserver uses to advertise to members of the cluster (default: listen-port)", category: "listener" },
  { name: "tls-san", kind: "list", split: true, usage: "Add additional hostnames or IPv4/IPv6 addresses as Subject Alternative Names on the server TLS cert", category: "listener" },
  { name: "tls-san-security", kind: "bool", usage: "Protect the server TLS cert by refusing to add Subject Alternative Names not associated with the kubernetes apiserver service", category: "listener", unimplemented: true },
  { name: "cluster-cidr", kind: "string", default: "10.42.0.0/16", usage: "IPv4/IPv6 network CIDRs to use for pod IPs", category: "networking" },
  { name: "service-cidr", kind: "string", default: "10.43.0.0/16", usage: "IPv4/IPv6 network CIDRs to use for service IPs", category: "networking" },
  { name: "service-node-port-range", kind: "string", default: "30000-32767", usage: "Port range to reserve for services with NodePort visibility", category: "networking" },
  { name: "cluster-dns", kind: "string", usage: "IPv4 Cluster IP for coredns service. Should be in your service-cidr range (default: 10.43.0.10)", category: "networking" },
  { name: "cluster-domain", kind: "string", default: "cluster.local", usage: "Cluster Domain", category: "networking" },
  { name: "flannel-backend", kind: "string", default: "vxlan", usage: "Backend (valid values: 'none', 'vxlan', 'host-gw', 'wireguard-native')", category: "networking" },
  { name: "flannel-ipv6-masq", kind: "bool", usage: "Enable IPv6 masquerading for pod", category: "networking", unimplemented: true },
  { name: "flannel-external-ip", kind: "bool", usage: "Use node external IP addresses for Flannel traffic", category: "networking", unimplemented: true },
  { name: "egress-selector-mode", kind: "string", default: "agent", usage: "One of 'agent', 'cluster', 'pod', 'disabled'", category: "networking", unimplemented: true },
  { name: "servicelb-namespace", kind: "string", default: "kube-system", usage: "Namespace of the pods for the servicelb component", category: "networking", unimplemented: true },
  { name: "write-kubeconfig", aliases: ["o"], env: ["K3S_KUBECONFIG_OUTPUT"], kind: "string", default: DEFAULT_KUBECONFIG, usage: "Write kubeconfig for admin client to this file", category: "client" },
  { name: "write-kubeconfig-mode", env: ["K3S_KUBECONFIG_MODE"], kind: "string", usage: "Write kubeconfig with this mode (default: 0600)", category: "client" },
  { name: "write-kubeconfig-group", env: ["K3S_KUBECONFIG_GROUP"], kind: "string", usage: "Write kubeconfig with this group", category: "client", unimplemented: true },
  { name: "helm-job-image", kind: "string", usage: "Default image to use for helm jobs", category: "client", unimplemented: true },
  { name: "token", aliases: ["t"], env: ["K3S_TOKEN"], kind: "string", usage: "Shared secret used to join a server or agent to a cluster", category: "cluster" },
  { name: "token-file", env: ["K3S_TOKEN_FILE"], kind: "string", usage: "File containing the token", category: "cluster" },
  { name: "agent-token", env: ["K3S_AGENT_TOKEN"], kind: "string", usage: "Shared secret used to join agents to the cluster, but not servers", category: "cluster" },
  { name: "agent-token-file", env: ["K3S_AGENT_TOKEN_FILE"], kind: "string", usage: "File containing the agent secret", category: "cluster" },
  { name: "server", aliases: ["s"], env: ["K3S_URL"], kind: "string", usage: "Server to connect to, used to join a cluster", category: "cluster", unimplemented: true },
  { name: "cluster-init", env: ["K3S_CLUSTER_INIT"], kind: "bool", usage: "Initialize a new cluster using embedded Etcd", category: "cluster", unimplemented: true },
  { name: "cluster-reset", env: ["K3S_CLUSTER_RESET"], kind: "bool", usage: "Forget all peers and become sole member of a new cluster", category: "cluster", unimplemented: true },
  { name: "cluster-reset-restore-path", kind: "string", usage: "Path to snapshot file to be restored", category: "cluster", unimplemented: true },
  { name: "kube-apiserver-arg", kind: "list", usage: "Customized flag for kube-apiserver process", category: "flags" },
  { name: "etcd-arg", kind: "list", usage: "Customized flag for etcd process", category: "flags", unimplemented: true },
  { name: "kube-controller-manager-arg", kind: "list", usage: "Customized flag for kube-controller-manager process", category: "flags" },
  { name: "kube-scheduler-arg", kind: "list", usage: "Customized flag for kube-scheduler process", category: "flags" },
  { name: "kube-cloud-controller-manager-arg", kind: "list", usage: "Customized flag for kube-cloud-controller-manager process", category: "flags", unimplemented: true },
  { name: "helm-controller-arg", kind: "list", usage: "Customized flag for helm-controller", category: "flags", unimplemented: true },
  { name: "datastore-endpoint", env: ["K3S_DATASTORE_ENDPOINT"], kind: "string", usage: "Specify etcd, NATS, MySQL, Postgres, or SQLite (default) data source name", category: "database" },
  { name: "datastore-cafile", env: ["K3S_DATASTORE_CAFILE"], kind: "string", usage: "TLS Certificate Authority file used to secure datastore backend communication", category: "database" },
  { name: "datastore-certfile", env: ["K3S_DATASTORE_CERTFILE"], kind: "string", usage: "TLS certification file used to secure datastore backend communication", category: "database" },
  { name: "datastore-keyfile", env: ["K3S_DATASTORE_KEYFILE"], kind: "string", usage: "TLS key file used to secure datastore backend communication", category: "database" },
  { name: "etcd-listen-address", env: ["K3S_ETCD_LISTEN_ADDRESS"], kind: "string", usage: "(k3s-ts) Also serve the etcd v3 API of the datastore on this TCP host:port", category: "database" },
  { name: "etcd-expose-metrics", kind: "bool", usage: "Expose etcd metrics to client interface", category: "database", unimplemented: true },
  { name: "etcd-disable-snapshots", kind: "bool", usage: "Disable automatic etcd snapshots", category: "database", unimplemented: true },
  { name: "etcd-snapshot-name", kind: "string", default: "etcd-snapshot", usage: "Set the base name of etcd snapshots", category: "database", unimplemented: true },
  { name: "etcd-snapshot-schedule-cron", kind: "string", default: "0 */12 * * *", usage: "Snapshot interval time in cron spec", category: "database", unimplemented: true },
  { name: "etcd-snapshot-retention", kind: "int", default: 5, usage: "Number of snapshots to retain", category: "database", unimplemented: true },
  { name: "etcd-snapshot-dir", kind: "string", usage: "Directory to save db snapshots", category: "database", unimplemented: true },
  { name: "etcd-snapshot-compress", kind: "bool", usage: "Compress etcd snapshot", category: "database", unimplemented: true },
  { name: "etcd-s3", kind: "bool", usage: "Enable backup to S3", category: "database", unimplemented: true },
  { name: "default-local-storage-path", kind: "string", usage: "Default local storage path for local provisioner storage class (default: <data-dir>/storage)", category: "storage" },
  { name: "disable", kind: "list", split: true, usage: "Do not deploy packaged components and delete any deployed components (valid items: coredns, servicelb, traefik, local-storage, metrics-server, runtimes)", category: "components" },
  { name: "disable-scheduler", kind: "bool", usage: "Disable Kubernetes default scheduler", category: "components" },
  { name: "disable-cloud-controller", kind: "bool", usage: "Disable k3s default cloud controller manager", category: "components", unimplemented: true },
  { name: "disable-kube-proxy", kind: "bool", usage: "Disable running kube-proxy", category: "components" },
  { name: "disable-network-policy", kind: "bool", usage: "Disable k3s default network policy controller", category: "components" },
  { name: "disable-helm-controller", kind: "bool", usage: "Disable Helm controller", category: "components" },
  { name: "disable-agent", kind: "bool", usage: "Do not run a local agent and register a local kubelet", category: "components" },
  { name: "disable-apiserver", kind: "bool", usage: "Do not run kube-apiserver", category: "components", unimplemented: true, hidden: true },
  { name: "disable-controller-manager", kind: "bool", usage: "Do not run kube-controller-manager", category: "components", unimplemented: true, hidden: true },
  { name: "disable-etcd", kind: "bool", usage: "Do not run etcd", category: "components", unimplemented: true, hidden: true },
  { name: "embedded-registry", kind: "bool", usage: "Enable embedded distributed container registry", category: "experimental", unimplemented: true },
  { name: "supervisor-metrics", kind: "bool", usage: "Enable serving k3s internal metrics on the supervisor port", category: "experimental", unimplemented: true },
  { name: "secrets-encryption", kind: "bool", usage: "Enable secret encryption at rest", category: "experimental", unimplemented: true },
  { name: "system-default-registry", kind: "string", usage: "Private registry to be used for all system images", category: "experimental", unimplemented: true },
  { name: "rootless", kind: "bool", usage: "Run rootless", category: "experimental", unimplemented: true },
  { name: "prefer-bundled-bin", kind: "bool", usage: "Prefer bundled userspace binaries over host binaries", category: "experimental", unimplemented: true },
  { name: "enable-pprof", kind: "bool", usage: "Enable pprof endpoint on supervisor port", category: "experimental", unimplemented: true },
  { name: "kine-tls", kind: "bool", usage: "Enable TLS on the kine etcd server socket", category: "experimental", unimplemented: true },
];

const agentOnly: FlagDef[] = [
  { name: "token", aliases: ["t"], env: ["K3S_TOKEN"], kind: "string", usage: "Token to use for authentication", category: "cluster" },
  { name: "token-file", env: ["K3S_TOKEN_FILE"], kind: "string", usage: "Token file to use for authentication", category: "cluster" },
  { name: "server", aliases: ["s"], env: ["K3S_URL"], kind: "string", usage: "Server to connect to", category: "cluster" },
  { name: "disable-apiserver-lb", kind: "bool", usage: "Disable the agent's client-side load-balancer and connect directly to the configured server address", category: "experimental", unimplemented: true },
];

/** The flags of `k3s server`. */
export const SERVER_FLAGS: FlagDef[] = [...common, ...serverOnly, ...node];
/** The flags of `k3s agent`. */
export const AGENT_FLAGS: FlagDef[] = [...common, ...agentOnly, ...node];

/** Finds a flag by long name or alias. */
export function findFlag(defs: FlagDef[], name: string): FlagDef | undefined {
  return defs.find((d) => d.name === name || d.aliases?.includes(name));
}
