/** A small kind set and schema registry for the OpenAPI tests (not used by the program). */
import type { KindDef, SchemaRegistry } from "../../api/kind.ts";
import type { OpenApiKind } from "./build.ts";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";

/** Definitions shaped like the generated registry, trimmed to what the test kinds reach. */
export const testSchemas: SchemaRegistry = {
  [`${META}.Time`]: { type: "string", format: "date-time" },
  [`${META}.ObjectMeta`]: {
    type: "object",
    properties: {
      name: { type: "string" },
      namespace: { type: "string" },
      labels: { type: "object", additionalProperties: { type: "string" } },
      annotations: { type: "object", additionalProperties: { type: "string" } },
      creationTimestamp: { ref: `${META}.Time` },
      finalizers: { type: "array", items: { type: "string" }, patchStrategy: "merge", listType: "set" },
    },
  },
  [`${META}.ListMeta`]: { type: "object", properties: { resourceVersion: { type: "string" }, continue: { type: "string" } } },
  [`${META}.Status`]: { type: "object", properties: { message: { type: "string" }, code: { type: "integer", format: "int32" } } },
  [`${META}.DeleteOptions`]: { type: "object", properties: { propagationPolicy: { type: "string" } } },
  [`${META}.Patch`]: { type: "object" },
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { type: "string", format: "int-or-string", intOrString: true },
  "io.k8s.api.core.v1.ConfigMap": {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { ref: `${META}.ObjectMeta` },
      data: { type: "object", description: "The configuration data, as strings.", additionalProperties: { type: "string" } },
    },
  },
  "io.k8s.api.core.v1.EnvVar": { type: "object", properties: { name: { type: "string" }, value: { type: "string" } }, required: ["name"] },
  "io.k8s.api.core.v1.ContainerPort": {
    type: "object",
    properties: { containerPort: { type: "integer", format: "int32" }, protocol: { type: "string", enum: ["SCTP", "TCP", "UDP"] } },
    required: ["containerPort"],
  },
  "io.k8s.api.core.v1.Container": {
    type: "object",
    properties: {
      name: { type: "string" },
      image: { type: "string" },
      env: { type: "array", items: { ref: "io.k8s.api.core.v1.EnvVar" }, patchMergeKey: "name", patchStrategy: "merge", listType: "map", listMapKeys: ["name"] },
      ports: { type: "array", items: { ref: "io.k8s.api.core.v1.ContainerPort" }, patchMergeKey: "containerPort", patchStrategy: "merge" },
    },
    required: ["name"],
  },
  "io.k8s.api.core.v1.PodSpec": {
    type: "object",
    properties: {
      containers: { type: "array", items: { ref: "io.k8s.api.core.v1.Container" }, patchMergeKey: "name", patchStrategy: "merge", listType: "map", listMapKeys: ["name"] },
    },
    required: ["containers"],
  },
  "io.k8s.api.core.v1.PodTemplateSpec": {
    type: "object",
    properties: { metadata: { ref: `${META}.ObjectMeta` }, spec: { ref: "io.k8s.api.core.v1.PodSpec" } },
  },
  "io.k8s.api.apps.v1.DeploymentSpec": {
    type: "object",
    properties: {
      replicas: { type: "integer", format: "int32", description: "How many pods to run." },
      template: { ref: "io.k8s.api.core.v1.PodTemplateSpec" },
      maxSurge: { ref: "io.k8s.apimachinery.pkg.util.intstr.IntOrString" },
    },
    required: ["template"],
  },
  "io.k8s.api.apps.v1.DeploymentStatus": { type: "object", properties: { replicas: { type: "integer", format: "int32" } } },
  "io.k8s.api.apps.v1.Deployment": {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { ref: `${META}.ObjectMeta` },
      spec: { ref: "io.k8s.api.apps.v1.DeploymentSpec" },
      status: { ref: "io.k8s.api.apps.v1.DeploymentStatus" },
    },
  },
  "io.k8s.api.autoscaling.v1.Scale": {
    type: "object",
    properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { ref: `${META}.ObjectMeta` }, spec: { type: "object", properties: { replicas: { type: "integer" } } } },
  },
  "com.example.v1.Widget": {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { ref: `${META}.ObjectMeta` },
      spec: { type: "object", properties: { size: { type: "integer" }, tags: { type: "array", items: { type: "string" } } } },
    },
  },
};

function kind(k: Omit<KindDef, "listKind" | "singular"> & { customResource?: boolean }): OpenApiKind {
  return { listKind: `${k.kind}List`, singular: k.kind.toLowerCase(), ...k };
}

/** ConfigMap (core), Deployment (apps, status + scale) and a custom resource Widget. */
export const testKinds: OpenApiKind[] = [
  kind({ group: "", version: "v1", kind: "ConfigMap", resource: "configmaps", namespaced: true, shortNames: ["cm"], schemaRef: "io.k8s.api.core.v1.ConfigMap" }),
  kind({
    group: "apps",
    version: "v1",
    kind: "Deployment",
    resource: "deployments",
    namespaced: true,
    shortNames: ["deploy"],
    schemaRef: "io.k8s.api.apps.v1.Deployment",
    statusSubresource: true,
    scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" },
  }),
  kind({ group: "example.com", version: "v1", kind: "Widget", resource: "widgets", namespaced: true, schemaRef: "com.example.v1.Widget", customResource: true }),
];
