/**
 * Descriptions for core/v1 services (src/api/schemas/api_core_v1.ts):
 * Service, its ports, load balancer status and session affinity, and the
 * Endpoints objects that list a service's backends.
 */
import type { DescriptionTable } from "./table.ts";

const C = "io.k8s.api.core.v1";

const PROTOCOL = "TCP, UDP or SCTP. Defaults to TCP.";
const APP_PROTOCOL = "The application protocol, such as http, h2c or kubernetes.io/ws; a hint for proxies and load balancers. Plain names follow IANA service names; others are prefixed names like mycompany.com/proto.";

const services: DescriptionTable = {
  [`${C}.Service`]: {
    "": "A Service gives a set of pods, chosen by labels, one stable virtual address and DNS name and spreads connections across them.",
    spec: "How the service is exposed: its type, ports, selector and traffic policies.",
    status: "The service's observed state, such as the address of its load balancer.",
  },
  [`${C}.ServiceSpec`]: {
    "": "The desired state of a Service.",
    ports: "The ports the service exposes, each forwarded to a port of the backing pods.",
    selector: "Pods whose labels match this are the service's backends, and their Endpoints are managed automatically. Without a selector, endpoints are managed by someone else. Ignored for ExternalName.",
    clusterIP: "The service's virtual IP, usually allocated from the service CIDR; None makes a headless service (DNS returns the pod addresses). Cannot be changed once set, except when the type changes to or from ExternalName.",
    clusterIPs: "The service's virtual IPs, at most one per IP family; the first equals clusterIP. Changeable only as clusterIP is.",
    type: "How the service is exposed: ClusterIP (the default; inside the cluster), NodePort (also on a port of every node), LoadBalancer (also through an external load balancer) or ExternalName (a DNS CNAME to externalName).",
    externalIPs: "Extra IP addresses, not managed by the cluster, on which nodes also accept traffic for the service.",
    sessionAffinity: "ClientIP sends all connections from one client address to the same pod; None (the default) balances each connection.",
    loadBalancerIP: "Deprecated: an address to request from the load balancer, when it supports that; implementations now use annotations.",
    loadBalancerSourceRanges: "Client CIDRs allowed through the load balancer, when it supports that; all clients when empty.",
    externalName: "For type ExternalName: the DNS name the service's name resolves to, as a CNAME.",
    externalTrafficPolicy: "How traffic from outside (node ports, load balancers, external IPs) is routed: Cluster (the default) spreads it over all ready pods; Local only to pods on the receiving node, which keeps the client's source address.",
    healthCheckNodePort: "For LoadBalancer services with externalTrafficPolicy Local: the node port on which kube-proxy reports whether the node has local endpoints. Allocated when unset.",
    publishNotReadyAddresses: "List pods as endpoints and in DNS even while they are not ready, such as for peer discovery in a StatefulSet.",
    sessionAffinityConfig: "Settings of the session affinity.",
    ipFamilies: "The IP families (IPv4, IPv6) of the service, in order; set from the cluster's configuration and ipFamilyPolicy when unset.",
    ipFamilyPolicy: "SingleStack (the default), PreferDualStack (two families when the cluster has them) or RequireDualStack (two families or fail).",
    allocateLoadBalancerNodePorts: "For LoadBalancer services: whether node ports are allocated, for load balancers that route to nodes. Defaults to true.",
    loadBalancerClass: "The load balancer implementation that should handle the service; the default one when unset. Cannot be changed once set.",
    internalTrafficPolicy: "How traffic from inside the cluster to the cluster IP is routed: Cluster (the default) to any ready pod, Local only to pods on the sending node.",
    trafficDistribution: "A preference for how traffic is spread; PreferClose favours endpoints topologically near the client.",
  },
  [`${C}.ServicePort`]: {
    "": "One port of a Service and where it forwards.",
    name: "The port's name, a DNS label unique in the service; required when the service has more than one port. Endpoints use it to match ports.",
    protocol: PROTOCOL,
    appProtocol: APP_PROTOCOL,
    port: "The port the service listens on (1-65535).",
    targetPort: "The port on the pods to forward to: a number (1-65535) or the name of a container port. Defaults to port. Ignored for services without a selector.",
    nodePort: "For NodePort and LoadBalancer services: the port opened on every node (30000-32767 by default). Allocated when unset; cleared when the type no longer needs it.",
  },
  [`${C}.ServiceStatus`]: {
    "": "The observed state of a Service.",
    loadBalancer: "The addresses of the service's load balancer, once it has one.",
    conditions: "The service's current conditions.",
  },
  [`${C}.LoadBalancerStatus`]: {
    "": "The addresses of a load balancer.",
    ingress: "The load balancer's entry points.",
  },
  [`${C}.LoadBalancerIngress`]: {
    "": "One entry point of a load balancer: an IP address or a host name.",
    ip: "The IP address, for load balancers that have one.",
    hostname: "The host name, for load balancers that use DNS.",
    ipMode: "How traffic reaches the pods: VIP (packets keep the load balancer's IP as destination, so nodes handle it directly) or Proxy (packets arrive addressed to the node or pod).",
    ports: "The state of each service port on this entry point.",
  },
  [`${C}.PortStatus`]: {
    "": "The state of one port of a load balancer.",
    port: "The port number.",
    protocol: PROTOCOL,
    error: "Why the port could not be set up, as a CamelCase reason; empty when it works.",
  },
  [`${C}.SessionAffinityConfig`]: {
    "": "Settings of a Service's session affinity.",
    clientIP: "Settings of ClientIP affinity.",
  },
  [`${C}.ClientIPConfig`]: {
    "": "Settings of ClientIP session affinity.",
    timeoutSeconds: "How long a client stays with the same pod after its last connection, from 1 to 86400 seconds. Defaults to 10800 (three hours).",
  },
};

const endpoints: DescriptionTable = {
  [`${C}.Endpoints`]: {
    "": "The network addresses behind a Service, kept by the endpoints controller for services with a selector. Superseded by EndpointSlice.",
    subsets: "Groups of addresses that share the same ports; the backends are the cross product of each group's addresses and ports.",
  },
  [`${C}.EndpointSubset`]: {
    "": "Addresses that all serve the same ports.",
    addresses: "Addresses of ready backends.",
    notReadyAddresses: "Addresses of backends that are not ready yet, or were ready and failed.",
    ports: "The ports served by every address of the subset.",
  },
  [`${C}.EndpointAddress`]: {
    "": "One backend address of a Service.",
    ip: "The backend's IP address; loopback, link-local and multicast addresses are refused.",
    hostname: "The backend's host name, for DNS records of headless services.",
    nodeName: "The node the backend runs on.",
    targetRef: "The object behind the address, usually a pod.",
  },
  [`${C}.EndpointPort`]: {
    "": "One port of an endpoint subset.",
    name: "The port's name, matching the service port's name; optional when there is only one port.",
    port: "The port number.",
    protocol: PROTOCOL,
    appProtocol: APP_PROTOCOL,
  },
};

export const descriptions: DescriptionTable = { ...services, ...endpoints };
