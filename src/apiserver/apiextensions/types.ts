/** The CustomResourceDefinition shapes (apiextensions.k8s.io/v1) this folder reads. */
import type { KubeObject } from "../../api/types.ts";
import type { JSONSchemaProps as BaseProps } from "../openapi/mod.ts";

/** An openAPIV3Schema node, with the keywords structural schemas may carry besides the translated subset. */
export interface Schema extends Omit<BaseProps, "properties" | "items" | "additionalProperties"> {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  $ref?: string;
}

export interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface PrinterColumnSpec {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: Schema };
  subresources?: {
    status?: Record<string, never>;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: PrinterColumnSpec[];
}

export interface CrdSpec {
  group: string;
  names: CrdNames;
  scope: "Namespaced" | "Cluster";
  versions: CrdVersion[];
  conversion?: { strategy?: string };
  preserveUnknownFields?: boolean;
}

export interface CrdCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface CrdStatus {
  conditions?: CrdCondition[];
  acceptedNames?: Partial<CrdNames>;
  storedVersions?: string[];
}

/** A CustomResourceDefinition object. */
export interface Crd extends KubeObject {
  spec: CrdSpec;
  status?: CrdStatus;
}

/** The finalizer that holds a CRD until its custom resources are gone. */
export const CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";
