/** Descriptions for io.k8s.api.discovery.v1 (src/api/schemas/api_discovery_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, apiVersionText } from "./common.ts";

const D = "io.k8s.api.discovery.v1";

const API_VERSION = apiVersionText("discovery.k8s.io/v1");

export const descriptions: DescriptionTable = {
  [`${D}.Endpoint`]: {
    "": "One backend of a service: a pod or other target with its addresses and readiness.",
    addresses: "The endpoint's addresses, of the slice's addressType; consumers use the first. At least one, at most 100.",
    conditions: "Whether the endpoint is ready, serving and terminating.",
    hostname: "A DNS label for this endpoint, used by DNS for headless services (e.g. pods of a StatefulSet).",
    targetRef: "The object behind the endpoint, usually a pod.",
    deprecatedTopology: "Deprecated topology labels of the endpoint, kept for conversion from v1beta1; not written by the controller any more. Use nodeName and zone.",
    nodeName: "The node that hosts the endpoint.",
    zone: "The zone the endpoint is in.",
    hints: "Routing hints for topology-aware routing.",
  },
  [`${D}.EndpointConditions`]: {
    "": "The state of an endpoint, for proxies to decide where to send traffic.",
    ready: "Whether the endpoint should receive traffic: true when serving and not terminating (unless the service publishes not-ready addresses). Unset means unknown; treat it as ready.",
    serving: "Whether the endpoint can handle traffic, matching its pod's readiness, even while terminating. Unset means unknown; treat it as serving.",
    terminating: "Whether the endpoint is shutting down; for pods, when they have a deletion timestamp. Unset means not terminating.",
  },
  [`${D}.EndpointHints`]: {
    "": "Hints on where an endpoint should be used, for topology-aware routing.",
    forZones: "The zones whose clients should use this endpoint.",
  },
  [`${D}.EndpointPort`]: {
    "": "A port the endpoints of a slice serve.",
    name: "The port's name, matching the service port's name; required when the slice has several ports, and unique.",
    protocol: "The protocol: TCP, UDP or SCTP. Defaults to TCP.",
    port: "The port number on the endpoints. Unset means every port, for services without a selector that proxy everything.",
    appProtocol: "The application protocol, as an IANA service name (e.g. \"http\"), \"kubernetes.io/h2c\" and the like, or a domain-prefixed name.",
  },
  [`${D}.EndpointSlice`]: {
    "": "A part of the set of endpoints behind a service, kept small so that changes are cheap; a service's slices carry the label kubernetes.io/service-name. Holds at most 1000 endpoints.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: "Standard object metadata: name, namespace, labels (kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by), annotations and the server-set fields.",
    addressType: "The kind of addresses in the slice: \"IPv4\", \"IPv6\" or \"FQDN\". Cannot be changed.",
    endpoints: "The endpoints of the slice; at most 1000.",
    ports: "The ports every endpoint of the slice serves; empty means none are known. At most 100.",
  },
  [`${D}.EndpointSliceList`]: {
    "": "A list of EndpointSlices.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The EndpointSlices.",
  },
  [`${D}.ForZone`]: {
    "": "A zone an endpoint should serve.",
    name: "The zone's name, as in the topology.kubernetes.io/zone label.",
  },
};
