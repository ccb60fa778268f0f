/** Objects every cluster starts with, as upstream's post-start hooks create them. */
import type { ClusterSettings } from "./kind.ts";
import type { KubeObject } from "./types.ts";
import { nthIp, parseCidr } from "./allocators/ip.ts";

/** The first address of the (primary) service CIDR: the `kubernetes` Service's ClusterIP. */
export function kubernetesServiceIP(settings: ClusterSettings): string {
  return nthIp(parseCidr(settings.serviceCIDR.split(",")[0]), 1);
}

/** Namespaces, priority classes and the `kubernetes` Service (endpoints: see kubernetesEndpointObjects). */
export function bootstrapObjects(settings: ClusterSettings): KubeObject[] {
  const namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"].map((name) => ({
    apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "kubernetes.io/metadata.name": name } }, spec: { finalizers: ["kubernetes"] },
  }));
  const priority = (name: string, value: number, description: string): KubeObject => ({
    apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value, description, preemptionPolicy: "PreemptLowerPriority",
  });
  const ip = kubernetesServiceIP(settings);
  const service: KubeObject = {
    apiVersion: "v1", kind: "Service",
    metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: {
      type: "ClusterIP", clusterIP: ip, clusterIPs: [ip], sessionAffinity: "None", ipFamilyPolicy: "SingleStack",
      ipFamilies: [ip.includes(":") ? "IPv6" : "IPv4"], internalTrafficPolicy: "Cluster",
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
    },
  };
  return [
    ...namespaces,
    priority("system-node-critical", 2000001000, "Used for system critical pods that must not be moved from their current node."),
    priority("system-cluster-critical", 2000000000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    service,
  ];
}

export interface ApiEndpointOptions {
  /** the address clients reach the API server on (the node's IP) */
  address: string;
  /** the API server's port (6443) */
  port: number;
}

/** The Endpoints and EndpointSlice of the `kubernetes` Service, pointing at the API server. */
export function kubernetesEndpointObjects(opts: ApiEndpointOptions): KubeObject[] {
  const family = opts.address.includes(":") ? "IPv6" : "IPv4";
  return [
    {
      apiVersion: "v1", kind: "Endpoints",
      metadata: { name: "kubernetes", namespace: "default", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
      subsets: [{ addresses: [{ ip: opts.address }], ports: [{ name: "https", port: opts.port, protocol: "TCP" }] }],
    },
    {
      apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice",
      metadata: { name: "kubernetes", namespace: "default", labels: { "kubernetes.io/service-name": "kubernetes" } },
      addressType: family,
      endpoints: [{ addresses: [opts.address], conditions: { ready: true } }],
      ports: [{ name: "https", port: opts.port, protocol: "TCP" }],
    },
  ];
}
