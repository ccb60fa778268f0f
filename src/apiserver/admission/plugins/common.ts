/** What the built-in admission plugins share: the 403 upstream's admission.NewForbidden answers, pod shapes and who is asking. */
import type { KubeObject, UserInfo } from "../../../api/types.ts";
import { ApiError, type Client, type ResourceRef } from "../../../client/client.ts";
import { forbidden, type ApiStatusError } from "../../errors.ts";
import type { AdmissionAttributes } from "../../rest/context.ts";

/** The mirror-pod annotation the kubelet sets on static pods' API copies. */
export const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

/** 403 `<resource> "<name>" is forbidden: <why>`, as admission.NewForbidden words it. */
export function admissionForbidden(attrs: AdmissionAttributes, why: string): ApiStatusError {
  const name = attrs.name || attrs.object?.metadata.name || attrs.oldObject?.metadata.name || "";
  return forbidden({ group: attrs.kind.group, resource: attrs.kind.resource }, name, why);
}

/** Whether the request is for a core-group resource itself (not a subresource). */
export function isCore(attrs: AdmissionAttributes, resource: string): boolean {
  return isResource(attrs, "", resource);
}

/** Whether the request is for the resource itself (not a subresource) in the given group. */
export function isResource(attrs: AdmissionAttributes, group: string, resource: string): boolean {
  return attrs.kind.group === group && attrs.kind.resource === resource && attrs.subresource === "";
}

/** Attributes that may carry Warning headers (the REST core may add this sink; until then warnings are dropped). */
export interface WarningSink {
  warnings?: string[];
}

/** Adds a Warning header text if the request can carry one. */
export function addWarning(attrs: AdmissionAttributes, text: string): void {
  (attrs as AdmissionAttributes & WarningSink).warnings?.push(text);
}

/** The name of the node a kubelet identity speaks for, or undefined for anyone else (upstream's NodeIdentifier). */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.groups.includes("system:nodes")) return undefined;
  if (!user.username.startsWith("system:node:")) return undefined;
  return user.username.slice("system:node:".length);
}

export interface ResourceList {
  [name: string]: string | number;
}

export interface Container {
  name: string;
  image?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  ports?: { containerPort?: number; hostPort?: number; protocol?: string }[];
  securityContext?: SecurityContext;
  env?: unknown[];
  envFrom?: unknown[];
}

export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string; localhostProfile?: string };
  procMount?: string;
  seLinuxOptions?: { type?: string; user?: string; role?: string; level?: string };
  appArmorProfile?: { type?: string };
  windowsOptions?: { hostProcess?: boolean };
  sysctls?: { name: string; value: string }[];
}

export interface PodSpec {
  nodeName?: string;
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  imagePullSecrets?: { name?: string }[];
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Volume[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext;
  overhead?: ResourceList;
  activeDeadlineSeconds?: number;
  priority?: number;
  priorityClassName?: string;
  preemptionPolicy?: string;
  runtimeClassName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  resourceClaims?: unknown[];
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Volume {
  name: string;
  [source: string]: unknown;
}

/** A Pod's spec, typed loosely enough for admission. */
export function podSpec(pod: KubeObject): PodSpec {
  return (pod.spec ?? {}) as PodSpec;
}

/** Reads one object, undefined when it does not exist. */
export async function getOrUndefined<T extends KubeObject>(client: Client, where: { ref: ResourceRef; namespace?: string; name: string }): Promise<T | undefined> {
  try {
    return await client.get<T>(where.ref, where.namespace, where.name);
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) return undefined;
    throw err;
  }
}

/** References to the resources the plugins read. */
export const REFS = {
  namespaces: { group: "", version: "v1", resource: "namespaces", namespaced: false },
  pods: { group: "", version: "v1", resource: "pods", namespaced: true },
  nodes: { group: "", version: "v1", resource: "nodes", namespaced: false },
  services: { group: "", version: "v1", resource: "services", namespaced: true },
  serviceaccounts: { group: "", version: "v1", resource: "serviceaccounts", namespaced: true },
  limitranges: { group: "", version: "v1", resource: "limitranges", namespaced: true },
  resourcequotas: { group: "", version: "v1", resource: "resourcequotas", namespaced: true },
  persistentvolumeclaims: { group: "", version: "v1", resource: "persistentvolumeclaims", namespaced: true },
  configmaps: { group: "", version: "v1", resource: "configmaps", namespaced: true },
  secrets: { group: "", version: "v1", resource: "secrets", namespaced: true },
  leases: { group: "coordination.k8s.io", version: "v1", resource: "leases", namespaced: true },
  persistentvolumes: { group: "", version: "v1", resource: "persistentvolumes", namespaced: false },
  priorityclasses: { group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses", namespaced: false },
  storageclasses: { group: "storage.k8s.io", version: "v1", resource: "storageclasses", namespaced: false },
  ingressclasses: { group: "networking.k8s.io", version: "v1", resource: "ingressclasses", namespaced: false },
  runtimeclasses: { group: "node.k8s.io", version: "v1", resource: "runtimeclasses", namespaced: false },
} satisfies Record<string, ResourceRef>;
