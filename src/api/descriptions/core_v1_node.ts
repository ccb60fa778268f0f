/**
 * Descriptions for core/v1 nodes (src/api/schemas/api_core_v1.ts): Node,
 * its spec and status, and what the kubelet reports about the machine.
 */
import type { DescriptionTable } from "./table.ts";
import { COND_MESSAGE } from "./common.ts";

const C = "io.k8s.api.core.v1";

const nodes: DescriptionTable = {
  [`${C}.Node`]: {
    "": "A Node is a machine that runs pods; its kubelet registers it and keeps its status current.",
    spec: "How the node is configured: its pod CIDRs, taints and whether it accepts new pods.",
    status: "What the kubelet last reported: capacity, conditions, addresses and system information.",
  },
  [`${C}.NodeSpec`]: {
    "": "The desired configuration of a node.",
    podCIDR: "The IP range assigned to the node for its pods' addresses.",
    podCIDRs: "The IP ranges assigned to the node, at most one per IP family; the first equals podCIDR.",
    providerID: "The node's identifier from its cloud provider, as <provider>://<id>.",
    unschedulable: "Keep new pods off the node, as kubectl cordon does; pods already running stay. Defaults to false.",
    taints: "Taints that repel pods which do not tolerate them.",
    configSource: "Deprecated: dynamic kubelet configuration was removed and this is ignored.",
    externalID: "Deprecated and ignored; kept only for old clients.",
  },
  [`${C}.NodeStatus`]: {
    "": "The observed state of a node.",
    capacity: "The total resources of the node, such as cpu, memory, pods and ephemeral-storage.",
    allocatable: "The resources available to pods: capacity less what is reserved for the system. Defaults to capacity.",
    phase: "Deprecated and no longer set.",
    conditions: "The node's conditions, such as Ready, MemoryPressure, DiskPressure, PIDPressure and NetworkUnavailable.",
    addresses: "The node's addresses, such as InternalIP and Hostname.",
    daemonEndpoints: "The ports the node's daemons listen on.",
    nodeInfo: "Identifiers and versions of the machine and its software.",
    images: "Container images present on the node.",
    volumesInUse: "Volumes attached to the node and mounted by its pods.",
    volumesAttached: "Volumes attached to the node.",
    config: "Deprecated: the state of dynamic kubelet configuration, which was removed.",
    runtimeHandlers: "The runtime handlers the node's container runtime offers.",
    features: "Optional features the node supports.",
  },
  [`${C}.NodeAddress`]: {
    "": "One address of a node.",
    type: "Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.",
    address: "The address.",
  },
  [`${C}.NodeCondition`]: {
    "": "One condition of a node.",
    type: "The condition: Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable.",
    status: "True, False or Unknown (the kubelet stopped reporting).",
    lastHeartbeatTime: "When the kubelet last reported this condition.",
    lastTransitionTime: "When status last changed.",
    reason: "A CamelCase word saying why status last changed.",
    message: COND_MESSAGE,
  },
  [`${C}.NodeDaemonEndpoints`]: {
    "": "The ports of the daemons running on a node.",
    kubeletEndpoint: "The port the kubelet's API listens on.",
  },
  [`${C}.DaemonEndpoint`]: {
    "": "The port of one daemon.",
    Port: "The port number.",
  },
  [`${C}.NodeSystemInfo`]: {
    "": "Identifiers and versions of a node's machine and software.",
    machineID: "The machine ID from /etc/machine-id.",
    systemUUID: "The hardware UUID reported by the firmware.",
    bootID: "An ID that changes on every boot.",
    kernelVersion: "The kernel release, as uname -r prints it.",
    osImage: "The operating system's name and version, such as Debian GNU/Linux 12 (bookworm).",
    containerRuntimeVersion: "The container runtime and its version, such as containerd://1.7.24.",
    kubeletVersion: "The kubelet's version.",
    kubeProxyVersion: "Deprecated: the kube-proxy version, no longer reliably set.",
    operatingSystem: "The operating system, such as linux.",
    architecture: "The CPU architecture, such as amd64 or arm64.",
  },
  [`${C}.ContainerImage`]: {
    "": "A container image present on a node.",
    names: "The image's names, such as its tags and digest references.",
    sizeBytes: "The image's size in bytes.",
  },
  [`${C}.AttachedVolume`]: {
    "": "A volume attached to a node.",
    name: "The volume's unique name.",
    devicePath: "Where the volume appears on the node.",
  },
  [`${C}.NodeFeatures`]: {
    "": "Optional features a node supports.",
    supplementalGroupsPolicy: "Whether the node honours a pod's supplementalGroupsPolicy.",
  },
  [`${C}.NodeRuntimeHandler`]: {
    "": "One runtime handler of a node's container runtime.",
    name: "The handler's name; empty for the default handler.",
    features: "What the handler supports.",
  },
  [`${C}.NodeRuntimeHandlerFeatures`]: {
    "": "The features a runtime handler supports.",
    recursiveReadOnlyMounts: "Whether it can make mounts read-only recursively.",
    userNamespaces: "Whether it supports user namespaces for pods.",
  },
  [`${C}.NodeConfigSource`]: {
    "": "Deprecated: where a node's dynamic kubelet configuration came from.",
    configMap: "The ConfigMap holding the configuration.",
  },
  [`${C}.ConfigMapNodeConfigSource`]: {
    "": "Deprecated: a ConfigMap holding kubelet configuration.",
    namespace: "The ConfigMap's namespace.",
    name: "The ConfigMap's name.",
    uid: "The ConfigMap's UID.",
    resourceVersion: "The ConfigMap's resourceVersion.",
    kubeletConfigKey: "The key holding the kubelet configuration.",
  },
  [`${C}.NodeConfigStatus`]: {
    "": "Deprecated: the state of a node's dynamic kubelet configuration.",
    assigned: "The configuration the node was asked to use.",
    active: "The configuration the node is using.",
    lastKnownGood: "The configuration the node falls back to.",
    error: "Any problem with the configuration.",
  },
};

export const descriptions: DescriptionTable = nodes;
