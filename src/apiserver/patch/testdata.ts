/**
 * Small schema fragments shaped like upstream's OpenAPI for the kinds the
 * patch tests use (Deployment, Pod template, ConfigMap, Service), so the
 * tests do not depend on the full generated registry.
 */
import type { FieldSchema, SchemaRegistry } from "../../api/kind.ts";

const str: FieldSchema = { type: "string" };
const int: FieldSchema = { type: "integer", format: "int32" };
const strMap: FieldSchema = { type: "object", additionalProperties: str };
const meta: FieldSchema = { ref: "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" };
const top = { kind: str, apiVersion: str, metadata: meta };

/** Definitions keyed by upstream's OpenAPI names. */
export const testSchemas: SchemaRegistry = {
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {
    type: "object",
    properties: {
      name: str,
      namespace: str,
      uid: str,
      resourceVersion: str,
      generation: { type: "integer" },
      creationTimestamp: str,
      labels: strMap,
      annotations: strMap,
      finalizers: { type: "array", items: str, patchStrategy: "merge", listType: "set" },
      ownerReferences: {
        type: "array",
        items: { ref: "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference" },
        patchStrategy: "merge",
        patchMergeKey: "uid",
        listType: "map",
        listMapKeys: ["uid"],
      },
      managedFields: { type: "array", items: { type: "object" }, listType: "atomic" },
    },
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference": {
    type: "object",
    properties: { apiVersion: str, kind: str, name: str, uid: str, controller: { type: "boolean" } },
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector": {
    type: "object",
    properties: { matchLabels: strMap, matchExpressions: { type: "array", items: { type: "object" }, listType: "atomic" } },
    mapType: "atomic",
  },
  "io.k8s.api.core.v1.ConfigMap": {
    type: "object",
    properties: { ...top, data: strMap, binaryData: strMap, immutable: { type: "boolean" } },
  },
  "io.k8s.api.apps.v1.Deployment": {
    type: "object",
    properties: { ...top, spec: { ref: "io.k8s.api.apps.v1.DeploymentSpec" }, status: { ref: "io.k8s.api.apps.v1.DeploymentStatus" } },
  },
  "io.k8s.api.apps.v1.DeploymentSpec": {
    type: "object",
    properties: {
      replicas: int,
      selector: { ref: "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector" },
      template: { ref: "io.k8s.api.core.v1.PodTemplateSpec" },
      strategy: { ref: "io.k8s.api.apps.v1.DeploymentStrategy", patchStrategy: "retainKeys" },
      paused: { type: "boolean" },
      progressDeadlineSeconds: int,
    },
  },
  "io.k8s.api.apps.v1.DeploymentStrategy": {
    type: "object",
    properties: { type: str, rollingUpdate: { ref: "io.k8s.api.apps.v1.RollingUpdateDeployment" } },
  },
  "io.k8s.api.apps.v1.RollingUpdateDeployment": {
    type: "object",
    properties: { maxUnavailable: { type: "string", intOrString: true }, maxSurge: { type: "string", intOrString: true } },
  },
  "io.k8s.api.apps.v1.DeploymentStatus": {
    type: "object",
    properties: {
      replicas: int,
      observedGeneration: { type: "integer" },
      conditions: {
        type: "array",
        items: { type: "object", properties: { type: str, status: str, reason: str } },
        patchStrategy: "merge",
        patchMergeKey: "type",
        listType: "map",
        listMapKeys: ["type"],
      },
    },
  },
  "io.k8s.api.core.v1.PodTemplateSpec": {
    type: "object",
    properties: { metadata: meta, spec: { ref: "io.k8s.api.core.v1.PodSpec" } },
  },
  "io.k8s.api.core.v1.PodSpec": {
    type: "object",
    properties: {
      containers: {
        type: "array",
        items: { ref: "io.k8s.api.core.v1.Container" },
        patchStrategy: "merge",
        patchMergeKey: "name",
        listType: "map",
        listMapKeys: ["name"],
      },
      initContainers: {
        type: "array",
        items: { ref: "io.k8s.api.core.v1.Container" },
        patchStrategy: "merge",
        patchMergeKey: "name",
        listType: "map",
        listMapKeys: ["name"],
      },
      volumes: {
        type: "array",
        items: { ref: "io.k8s.api.core.v1.Volume" },
        patchStrategy: "merge,retainKeys",
        patchMergeKey: "name",
        listType: "map",
        listMapKeys: ["name"],
      },
      tolerations: { type: "array", items: { type: "object", properties: { key: str, operator: str, effect: str } }, listType: "atomic" },
      nodeSelector: { type: "object", additionalProperties: str, mapType: "atomic" },
      restartPolicy: str,
      serviceAccountName: str,
      terminationGracePeriodSeconds: { type: "integer" },
    },
    required: ["containers"],
  },
  "io.k8s.api.core.v1.Container": {
    type: "object",
    properties: {
      name: str,
      image: str,
      imagePullPolicy: str,
      args: { type: "array", items: str, listType: "atomic" },
      command: { type: "array", items: str, listType: "atomic" },
      env: {
        type: "array",
        items: { ref: "io.k8s.api.core.v1.EnvVar" },
        patchStrategy: "merge",
        patchMergeKey: "name",
        listType: "map",
        listMapKeys: ["name"],
      },
      ports: {
        type: "array",
        items: { ref: "io.k8s.api.core.v1.ContainerPort" },
        patchStrategy: "merge",
        patchMergeKey: "containerPort",
        listType: "map",
        listMapKeys: ["containerPort", "protocol"],
      },
      volumeMounts: {
        type: "array",
        items: { type: "object", properties: { name: str, mountPath: str, readOnly: { type: "boolean" } } },
        patchStrategy: "merge",
        patchMergeKey: "mountPath",
        listType: "map",
        listMapKeys: ["mountPath"],
      },
      resources: {
        type: "object",
        properties: { limits: strMap, requests: strMap },
      },
    },
  },
  "io.k8s.api.core.v1.EnvVar": { type: "object", properties: { name: str, value: str, valueFrom: { type: "object" } } },
  "io.k8s.api.core.v1.ContainerPort": {
    type: "object",
    properties: { name: str, containerPort: int, protocol: { type: "string", enum: ["SCTP", "TCP", "UDP"] } },
  },
  "io.k8s.api.core.v1.Volume": {
    type: "object",
    properties: {
      name: str,
      emptyDir: { type: "object", properties: { medium: str, sizeLimit: str } },
      configMap: { type: "object", properties: { name: str, defaultMode: int } },
      secret: { type: "object", properties: { secretName: str } },
    },
  },
  "io.k8s.api.core.v1.Service": {
    type: "object",
    properties: { ...top, spec: { ref: "io.k8s.api.core.v1.ServiceSpec" } },
  },
  "io.k8s.api.core.v1.ServiceSpec": {
    type: "object",
    properties: {
      type: str,
      clusterIP: str,
      selector: { type: "object", additionalProperties: str, mapType: "atomic" },
      ports: {
        type: "array",
        items: { ref: "io.k8s.api.core.v1.ServicePort" },
        patchStrategy: "merge",
        patchMergeKey: "port",
        listType: "map",
        listMapKeys: ["port", "protocol"],
      },
    },
  },
  "io.k8s.api.core.v1.ServicePort": {
    type: "object",
    properties: { name: str, port: int, targetPort: { type: "string", intOrString: true }, protocol: { type: "string", default: "TCP" }, nodePort: int },
  },
};
