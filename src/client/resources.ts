/** ResourceRefs of the built-in kinds the controllers, scheduler and kubelet use. */
import type { ResourceRef } from "./client.ts";

const core = (resource: string, namespaced = true): ResourceRef => ({ group: "", version: "v1", resource, namespaced });
const grp = (group: string, version: string, resource: string, namespaced = true): ResourceRef => ({ group, version, resource, namespaced });

/** The built-in resources by short handle. */
export const R = {
  pods: core("pods"),
  nodes: core("nodes", false),
  namespaces: core("namespaces", false),
  services: core("services"),
  endpoints: core("endpoints"),
  events: core("events"),
  configmaps: core("configmaps"),
  secrets: core("secrets"),
  serviceaccounts: core("serviceaccounts"),
  persistentvolumes: core("persistentvolumes", false),
  persistentvolumeclaims: core("persistentvolumeclaims"),
  replicationcontrollers: core("replicationcontrollers"),
  deployments: grp("apps", "v1", "deployments"),
  replicasets: grp("apps", "v1", "replicasets"),
  statefulsets: grp("apps", "v1", "statefulsets"),
  daemonsets: grp("apps", "v1", "daemonsets"),
  controllerrevisions: grp("apps", "v1", "controllerrevisions"),
  jobs: grp("batch", "v1", "jobs"),
  cronjobs: grp("batch", "v1", "cronjobs"),
  leases: grp("coordination.k8s.io", "v1", "leases"),
  endpointslices: grp("discovery.k8s.io", "v1", "endpointslices"),
  poddisruptionbudgets: grp("policy", "v1", "poddisruptionbudgets"),
  certificatesigningrequests: grp("certificates.k8s.io", "v1", "certificatesigningrequests", false),
  horizontalpodautoscalers: grp("autoscaling", "v2", "horizontalpodautoscalers"),
  storageclasses: grp("storage.k8s.io", "v1", "storageclasses", false),
  priorityclasses: grp("scheduling.k8s.io", "v1", "priorityclasses", false),
} satisfies Record<string, ResourceRef>;

/** "apps/v1" style apiVersion of a ref. */
export function apiVersionOf(ref: ResourceRef): string {
  return ref.group === "" ? ref.version : `${ref.group}/${ref.version}`;
}
