/** Descriptions for io.k8s.api.networking.v1 (src/api/schemas/api_networking_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, OBJECT_META, apiVersionText } from "./common.ts";

const N = "io.k8s.api.networking.v1";

const API_VERSION = apiVersionText("networking.k8s.io/v1");
const PEER_PORTS = "The ports the traffic may use; a packet must match one of them. Empty or unset allows every port.";

export const descriptions: DescriptionTable = {
  [`${N}.HTTPIngressPath`]: {
    "": "A URL path and the backend that requests on it are sent to.",
    path: "The path to match against the request path; must start with \"/\". How it matches depends on pathType.",
    pathType: "\"Exact\" matches the path exactly; \"Prefix\" matches whole path segments, so /foo matches /foo and /foo/bar but not /foobar; \"ImplementationSpecific\" leaves it to the ingress class.",
    backend: "Where matching requests are sent.",
  },
  [`${N}.HTTPIngressRuleValue`]: {
    "": "The HTTP paths of an ingress rule and their backends.",
    paths: "The paths and their backends; the longest matching path wins.",
  },
  [`${N}.IPBlock`]: {
    "": "A range of IP addresses a network policy allows, with optional holes.",
    cidr: "The allowed range in CIDR notation, e.g. \"192.168.1.0/24\" or \"2001:db8::/64\".",
    except: "Sub-ranges of cidr, in CIDR notation, that are not allowed.",
  },
  [`${N}.Ingress`]: {
    "": "Rules that route outside HTTP(S) traffic to services by host name and path, served by an ingress controller.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The routing rules and TLS settings.",
    status: "The addresses the ingress is reachable on; written by the ingress controller.",
  },
  [`${N}.IngressBackend`]: {
    "": "Where an ingress sends requests: a service or another resource; exactly one of the two is set.",
    service: "A service (name and port) in the ingress's namespace.",
    resource: "Another object in the ingress's namespace, such as a storage bucket, interpreted by the ingress controller.",
  },
  [`${N}.IngressClass`]: {
    "": "A kind of ingress and the controller that implements it; ingresses choose one with ingressClassName. The annotation ingressclass.kubernetes.io/is-default-class marks the default.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The controller and its parameters.",
  },
  [`${N}.IngressClassList`]: {
    "": "A list of IngressClasses.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The IngressClasses.",
  },
  [`${N}.IngressClassParametersReference`]: {
    "": "Points at an object that holds controller-specific settings for an ingress class.",
    apiGroup: "The API group of the referenced object; empty means the core group.",
    kind: "The kind of the referenced object.",
    name: "The name of the referenced object.",
    scope: "\"Cluster\" for a cluster-scoped object or \"Namespace\" for a namespaced one. Defaults to Cluster.",
    namespace: "The namespace of the referenced object; required with scope Namespace, not allowed with Cluster.",
  },
  [`${N}.IngressClassSpec`]: {
    "": "The settings of an ingress class.",
    controller: "Name of the controller that serves this class, as a domain-prefixed path such as \"example.com/ingress-controller\". Cannot be changed.",
    parameters: "An object holding extra settings for the controller. Unset means none.",
  },
  [`${N}.IngressList`]: {
    "": "A list of Ingresses.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The Ingresses.",
  },
  [`${N}.IngressLoadBalancerIngress`]: {
    "": "One address an ingress is reachable on.",
    ip: "The IP address, when the load balancer has one.",
    hostname: "The DNS name, when the load balancer has one.",
    ports: "The ports exposed at this address and their state.",
  },
  [`${N}.IngressLoadBalancerStatus`]: {
    "": "The load balancer addresses of an ingress.",
    ingress: "The addresses the ingress is reachable on.",
  },
  [`${N}.IngressPortStatus`]: {
    "": "The state of one port of an ingress address.",
    port: "The port number.",
    protocol: "The port's protocol: TCP, UDP or SCTP.",
    error: "Why the port is not working, as a CamelCase reason or a domain-prefixed one; empty while the port works.",
  },
  [`${N}.IngressRule`]: {
    "": "Routing for one host: requests whose Host header matches go to the paths' backends.",
    host: "The host name to match, e.g. \"foo.example.com\"; a leading \"*.\" matches exactly one extra label. No IP addresses or ports. Empty matches every host.",
    http: "The HTTP paths of this host and their backends.",
  },
  [`${N}.IngressRuleValue`]: {
    "": "The protocol-specific part of an ingress rule; only HTTP exists.",
    http: "The HTTP paths and their backends.",
  },
  [`${N}.IngressServiceBackend`]: {
    "": "A service, in the ingress's namespace, that receives requests.",
    name: "The name of the service.",
    port: "The service port, by name or by number.",
  },
  [`${N}.IngressSpec`]: {
    "": "How an ingress routes traffic.",
    ingressClassName: "The IngressClass that serves this ingress. Unset means the cluster's default class, if any.",
    defaultBackend: "Where requests that match no rule go. Unset leaves it to the ingress controller.",
    tls: "TLS settings: which hosts are served over HTTPS and with which certificate secrets.",
    rules: "The host and path rules. Requests that match none go to the defaultBackend.",
  },
  [`${N}.IngressStatus`]: {
    "": "The observed state of an ingress.",
    loadBalancer: "The addresses of the load balancer serving the ingress.",
  },
  [`${N}.IngressTLS`]: {
    "": "Terminating TLS for a set of hosts with one certificate.",
    hosts: "Host names the certificate covers; they should match hosts in the rules. Defaults to the controller's wildcard host.",
    secretName: "A kubernetes.io/tls secret in the ingress's namespace with the certificate and key. May be empty when the controller picks the certificate by SNI.",
  },
  [`${N}.NetworkPolicy`]: {
    "": "Which traffic may reach and leave the pods it selects. Once any policy selects a pod for a direction (ingress or egress), only the traffic some policy allows in that direction gets through.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The pods selected and the traffic allowed to and from them.",
  },
  [`${N}.NetworkPolicyEgressRule`]: {
    "": "Outgoing traffic allowed from the selected pods: it must match both ports and to.",
    ports: PEER_PORTS,
    to: "Destinations the traffic may go to; it must match one of them. Empty or unset allows every destination.",
  },
  [`${N}.NetworkPolicyIngressRule`]: {
    "": "Incoming traffic allowed to the selected pods: it must match both ports and from.",
    ports: PEER_PORTS,
    from: "Sources the traffic may come from; it must match one of them. Empty or unset allows every source.",
  },
  [`${N}.NetworkPolicyList`]: {
    "": "A list of NetworkPolicies.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The NetworkPolicies.",
  },
  [`${N}.NetworkPolicyPeer`]: {
    "": "A set of traffic sources or destinations: pods by labels (optionally in selected namespaces), or an IP range.",
    podSelector: "Pods chosen by label. With namespaceSelector, the pods in the selected namespaces; without, the pods in the policy's namespace.",
    namespaceSelector: "Namespaces chosen by label; alone it means all their pods. An empty selector means every namespace.",
    ipBlock: "An IP range; cannot be combined with the selectors.",
  },
  [`${N}.NetworkPolicyPort`]: {
    "": "A port, or range of ports, and its protocol.",
    protocol: "The protocol: TCP, UDP or SCTP. Defaults to TCP.",
    port: "The port, as a number or a named container port. Unset matches every port.",
    endPort: "With a numeric port, the last port of the range port..endPort. Must not be below port.",
  },
  [`${N}.NetworkPolicySpec`]: {
    "": "The pods a network policy applies to and the traffic it allows.",
    podSelector: "The pods in this namespace the policy applies to. An empty selector selects every pod of the namespace.",
    ingress: "Incoming traffic allowed to the selected pods; rules add up. Empty, with Ingress in policyTypes, allows no incoming traffic.",
    egress: "Outgoing traffic allowed from the selected pods; rules add up. Empty, with Egress in policyTypes, allows no outgoing traffic.",
    policyTypes: "Which directions the policy governs: \"Ingress\", \"Egress\" or both. Defaults to Ingress, plus Egress when egress rules are present.",
  },
  [`${N}.ServiceBackendPort`]: {
    "": "A service port, given by name or by number; exactly one is set.",
    name: "The name of the service port.",
    number: "The number of the service port.",
  },
};
