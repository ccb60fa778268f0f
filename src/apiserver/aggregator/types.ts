/** The apiregistration.k8s.io/v1 APIService and the discovery documents the aggregator reads from backends. */
import type { KubeObject } from "../../api/types.ts";

export interface APIServiceSpec {
  group?: string;
  version: string;
  /** absent = served by this API server (local) */
  service?: { namespace: string; name: string; port?: number } | null;
  caBundle?: string;
  insecureSkipTLSVerify?: boolean;
  groupPriorityMinimum: number;
  versionPriority: number;
}

export interface APIServiceCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface APIService extends KubeObject {
  spec: APIServiceSpec;
  status?: { conditions?: APIServiceCondition[] };
}

/** One entry of a backend's APIResourceList. */
export interface APIResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface APIResourceList {
  kind?: string;
  apiVersion?: string;
  groupVersion: string;
  resources: APIResource[];
}
