/**
 * NodeRestriction admission (upstream plugin/pkg/admission/noderestriction):
 * a kubelet (system:node:<name> in system:nodes) may change only its own
 * Node (not its taints, nor labels outside the kubelet's set), only the
 * status of pods bound to it, may create only mirror pods for itself and
 * delete only its own pods, and may touch only its own node Lease and CSINode.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { Client } from "../../../client/client.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { podReferences } from "../../auth/node.ts";
import { admissionForbidden, getOrUndefined, MIRROR_POD_ANNOTATION, nodeNameOf, podSpec, REFS } from "./common.ts";

export interface NodeRestrictionOptions {
  /** reads the node (owner uid of mirror pods) and pods being deleted */
  client: Client;
}

/** Labels a kubelet may set on itself under the kubernetes.io / k8s.io namespaces. */
const KUBELET_LABELS = new Set([
  "kubernetes.io/hostname", "kubernetes.io/arch", "kubernetes.io/os", "beta.kubernetes.io/arch", "beta.kubernetes.io/os",
  "beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type", "failure-domain.beta.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/region", "topology.kubernetes.io/zone",
]);

/** Whether a kubelet may set this label on its own Node (upstream's kubeletapis.IsKubeletLabel, with node-restriction.kubernetes.io/ reserved). */
export function kubeletMaySetLabel(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash < 0) return true;
  const ns = key.slice(0, slash);
  if (ns === "node-restriction.kubernetes.io" || ns.endsWith(".node-restriction.kubernetes.io")) return false;
  const k8sNamespace = ns === "kubernetes.io" || ns.endsWith(".kubernetes.io") || ns === "k8s.io" || ns.endsWith(".k8s.io");
  if (!k8sNamespace) return true;
  if (KUBELET_LABELS.has(key)) return true;
  return ns === "kubelet.kubernetes.io" || ns.endsWith(".kubelet.kubernetes.io") || ns === "node.kubernetes.io" || ns.endsWith(".node.kubernetes.io");
}

function modifiedLabels(next: Record<string, string> = {}, old: Record<string, string> = {}): string[] {
  const keys = new Set([...Object.keys(next), ...Object.keys(old)]);
  return [...keys].filter((k) => next[k] !== old[k]);
}

function normalizedTaints(node: KubeObject | undefined): string {
  const t = (node?.spec as { taints?: unknown[] } | undefined)?.taints ?? [];
  return JSON.stringify(t);
}

/** Creates the NodeRestriction admission plugin. */
export function nodeRestrictionAdmission(opts: NodeRestrictionOptions): AdmissionHook {
  const { client } = opts;

  function admitNode(attrs: AdmissionAttributes, nodeName: string): void {
    if (attrs.name !== nodeName) throw admissionForbidden(attrs, `node "${nodeName}" is not allowed to modify node "${attrs.name}"`);
    if (attrs.operation === "CREATE" && attrs.object) {
      const bad = modifiedLabels(attrs.object.metadata.labels).filter((k) => !kubeletMaySetLabel(k)).sort();
      if (bad.length) throw admissionForbidden(attrs, `node "${nodeName}" is not allowed to set the following labels: ${bad.join(", ")}`);
    }
    if (attrs.operation === "UPDATE" && attrs.object && attrs.oldObject) {
      if (normalizedTaints(attrs.object) !== normalizedTaints(attrs.oldObject)) throw admissionForbidden(attrs, `node "${nodeName}" is not allowed to modify taints`);
      const bad = modifiedLabels(attrs.object.metadata.labels, attrs.oldObject.metadata.labels).filter((k) => !kubeletMaySetLabel(k)).sort();
      if (bad.length) throw admissionForbidden(attrs, `is not allowed to modify labels: ${bad.join(", ")}`);
    }
  }

  async function admitPodCreate(attrs: AdmissionAttributes, nodeName: string): Promise<void> {
    const pod = attrs.object!;
    const spec = podSpec(pod);
    if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] === undefined) {
      throw admissionForbidden(attrs, `pod does not have "${MIRROR_POD_ANNOTATION}" annotation, node "${nodeName}" can only create mirror pods`);
    }
    if (spec.nodeName !== nodeName) throw admissionForbidden(attrs, `node "${nodeName}" can only create pods with spec.nodeName set to itself`);
    const owners = pod.metadata.ownerReferences ?? [];
    if (owners.length > 1) throw admissionForbidden(attrs, `node "${nodeName}" can only create pods with a single owner reference set to itself`);
    if (owners.length === 1) {
      const o = owners[0];
      if (o.apiVersion !== "v1" || o.kind !== "Node" || o.name !== nodeName) throw admissionForbidden(attrs, `node "${nodeName}" can only create pods with an owner reference set to itself`);
      if (o.controller !== true) throw admissionForbidden(attrs, `node "${nodeName}" can only create pods with a controller owner reference set to itself`);
      if (o.blockOwnerDeletion === true) throw admissionForbidden(attrs, `node "${nodeName}" must not set blockOwnerDeletion on an owner reference`);
      const node = await getOrUndefined(client, { ref: REFS.nodes, name: nodeName });
      if (!node) throw admissionForbidden(attrs, `node "${nodeName}" not found`);
      if (o.uid !== node.metadata.uid) throw admissionForbidden(attrs, `node ${nodeName} UID mismatch: expected ${node.metadata.uid ?? ""} got ${o.uid}`);
    }
    if (spec.serviceAccountName) throw admissionForbidden(attrs, `node "${nodeName}" can not create pods that reference a service account`);
    const refs = podReferences(pod);
    if (refs.secrets.size) throw admissionForbidden(attrs, `node "${nodeName}" can not create pods that reference secrets`);
    if (refs.configmaps.size) throw admissionForbidden(attrs, `node "${nodeName}" can not create pods that reference configmaps`);
    if ((spec.volumes ?? []).some((v) => v.persistentVolumeClaim !== undefined)) throw admissionForbidden(attrs, `node "${nodeName}" can not create pods that reference persistentvolumeclaims`);
    if ((spec.resourceClaims ?? []).length) throw admissionForbidden(attrs, `node "${nodeName}" can not create pods that reference resourceclaims`);
  }

  async function admitPod(attrs: AdmissionAttributes, nodeName: string): Promise<void> {
    if (attrs.subresource === "status") {
      if (attrs.operation !== "UPDATE") throw admissionForbidden(attrs, `unexpected operation "${attrs.operation}"`);
      if (podSpec(attrs.oldObject ?? attrs.object!).nodeName !== nodeName) {
        throw admissionForbidden(attrs, `node "${nodeName}" can only update pod status for pods with spec.nodeName set to itself`);
      }
      return;
    }
    if (attrs.subresource === "eviction") {
      const pod = attrs.oldObject ?? (await getOrUndefined(client, { ref: REFS.pods, namespace: attrs.namespace, name: attrs.name }));
      if (pod && podSpec(pod).nodeName !== nodeName) throw admissionForbidden(attrs, `node "${nodeName}" can only evict pods with spec.nodeName set to itself`);
      return;
    }
    if (attrs.subresource !== "") throw admissionForbidden(attrs, `unexpected pod subresource "${attrs.subresource}", only 'status' and 'eviction' are allowed`);
    if (attrs.operation === "CREATE") return admitPodCreate(attrs, nodeName);
    if (attrs.operation === "DELETE") {
      if (podSpec(attrs.oldObject!).nodeName !== nodeName) throw admissionForbidden(attrs, `node "${nodeName}" can only delete pods with spec.nodeName set to itself`);
      return;
    }
    throw admissionForbidden(attrs, `unexpected operation "${attrs.operation}", node "${nodeName}" can only create and delete mirror pods`);
  }

  function admitClaimStatus(attrs: AdmissionAttributes, nodeName: string): void {
    if (attrs.operation !== "UPDATE" || !attrs.object || !attrs.oldObject) throw admissionForbidden(attrs, `unexpected operation "${attrs.operation}"`);
    // a kubelet may only report expansion: capacity, conditions and allocated resources
    const strip = (o: KubeObject): string => {
      const status = { ...((o.status ?? {}) as Record<string, unknown>) };
      for (const k of ["capacity", "conditions", "allocatedResources", "allocatedResourceStatuses"]) delete status[k];
      return JSON.stringify({ spec: o.spec, status, labels: o.metadata.labels ?? {}, annotations: o.metadata.annotations ?? {} });
    };
    if (strip(attrs.object) !== strip(attrs.oldObject)) throw admissionForbidden(attrs, `node "${nodeName}" is not allowed to update fields other than status.capacity and status.conditions: ${attrs.name}`);
  }

  async function admit(attrs: AdmissionAttributes): Promise<void> {
    const nodeName = nodeNameOf(attrs.user);
    if (nodeName === undefined) return;
    const { group, resource } = attrs.kind;
    if (group === "" && resource === "nodes") return admitNode(attrs, nodeName);
    if (group === "" && resource === "pods") return admitPod(attrs, nodeName);
    if (group === "" && resource === "persistentvolumeclaims" && attrs.subresource === "status") return admitClaimStatus(attrs, nodeName);
    if (group === "coordination.k8s.io" && resource === "leases" && attrs.namespace === "kube-node-lease" && attrs.name !== nodeName) {
      throw admissionForbidden(attrs, "can only access node lease with the same name as the requesting node");
    }
    if (group === "storage.k8s.io" && resource === "csinodes" && attrs.name !== nodeName) {
      throw admissionForbidden(attrs, `node "${nodeName}" is not allowed to modify object "${attrs.name}"`);
    }
  }

  return {
    async mutate(): Promise<void> {},
    validate: admit,
  };
}
