// Runs the kubectl patches and server-side apply over the real built-in
// schemas (src/api's builtinSchemas): merge keys, strategies and list types
// exactly as the kinds declare them, for Deployment, Service and Pod.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinKinds, builtinSchemas } from "../../api/mod.ts";
import type { KubeObject } from "../../api/types.ts";
import { applyStrategicMergePatch, serverSideApply, updateManagedFields } from "./mod.ts";

const schemas = builtinSchemas();
const refOf = (kind: string): string => {
  const def = builtinKinds().find((k) => k.kind === kind);
  assert.ok(def, `no built-in kind ${kind}`);
  return def.schemaRef;
};

interface Spec {
  replicas?: number;
  strategy?: Record<string, unknown>;
  template: { spec: { containers: Record<string, unknown>[]; volumes?: Record<string, unknown>[] } };
}

function deployment(containers: Record<string, unknown>[], extra: Partial<Spec> = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", labels: { app: "web" } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers, volumes: [{ name: "data", emptyDir: {} }] } },
      ...extra,
    },
  };
}

test("kubectl's client-side re-apply patch on a Deployment with the built-in schema", () => {
  const live = deployment(
    [{ name: "web", image: "nginx:1.27", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }], ports: [{ containerPort: 80, protocol: "TCP" }] }],
    { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%" } } },
  );
  const patch = {
    spec: {
      strategy: { $retainKeys: ["type"], type: "Recreate" },
      template: {
        spec: {
          "$setElementOrder/containers": [{ name: "web" }],
          containers: [
            {
              "$setElementOrder/env": [{ name: "A" }, { name: "C" }],
              env: [{ name: "C", value: "3" }, { $patch: "delete", name: "B" }],
              image: "nginx:1.28",
              name: "web",
            },
          ],
          volumes: [{ $retainKeys: ["configMap", "name"], configMap: { name: "cfg" }, name: "data" }],
        },
      },
    },
  };
  const out = applyStrategicMergePatch(live, patch, { schemas, rootRef: refOf("Deployment") });
  const spec = out.spec as Spec;
  assert.deepEqual(spec.strategy, { type: "Recreate" });
  assert.deepEqual(spec.template.spec.containers, [
    { name: "web", image: "nginx:1.28", env: [{ name: "A", value: "1" }, { name: "C", value: "3" }], ports: [{ containerPort: 80, protocol: "TCP" }] },
  ]);
  assert.deepEqual(spec.template.spec.volumes, [{ name: "data", configMap: { name: "cfg" } }]);
});

test("server-side apply of a Deployment keys ports by containerPort and protocol and prunes on re-apply", () => {
  const opts = { manager: "kubectl", schemas, rootRef: refOf("Deployment"), apiVersion: "apps/v1", ignoredFields: [["status"]] };
  const first = serverSideApply(undefined, deployment([{ name: "web", image: "nginx", ports: [{ containerPort: 80 }], args: ["-a"] }, { name: "side", image: "busybox" }]), opts).object;
  const fields = JSON.stringify(first.metadata.managedFields?.[0].fieldsV1);
  assert.ok(fields.includes('k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}'), fields);
  assert.ok(fields.includes('"f:args":{}'), "args are atomic");
  const live = structuredClone(first);
  const liveSpec = live.spec as Spec;
  (liveSpec.template.spec.containers[0].ports as Record<string, unknown>[])[0].protocol = "TCP";
  live.metadata.uid = "u1";
  const { object } = serverSideApply(live, deployment([{ name: "web", image: "nginx:2", ports: [{ containerPort: 80 }] }]), opts);
  assert.deepEqual((object.spec as Spec).template.spec.containers, [{ name: "web", image: "nginx:2", ports: [{ containerPort: 80, protocol: "TCP" }] }]);
});

test("a Service's ports are keyed by port and protocol; kubectl edit takes ownership of what it changes", () => {
  const svc = (port: number, target: number): KubeObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "default" },
    spec: { selector: { app: "web" }, ports: [{ name: "http", port, targetPort: target }] },
  });
  const opts = { manager: "kubectl", schemas, rootRef: refOf("Service"), apiVersion: "v1" };
  const created = serverSideApply(undefined, svc(80, 8080), opts).object;
  const stored = structuredClone(created);
  ((stored.spec as { ports: Record<string, unknown>[] }).ports[0]).protocol = "TCP";
  stored.metadata.uid = "u2";
  const edited = updateManagedFields(stored, { ...stored, spec: { ...(stored.spec as object), ports: [{ name: "http", port: 80, targetPort: 9090, protocol: "TCP" }] } }, {
    ...opts,
    manager: "kubectl-edit",
  });
  assert.throws(
    () => serverSideApply(edited, svc(80, 8080), opts),
    (e: unknown) => (e as Error).message === 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .spec.ports[port=80,protocol="TCP"].targetPort',
  );
});

test("finalizers merge as a set and ownerReferences by uid on a Pod", () => {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", finalizers: ["a/x"], ownerReferences: [{ apiVersion: "v1", kind: "X", name: "o", uid: "1" }] },
    spec: { containers: [{ name: "c", image: "busybox" }] },
  };
  const out = applyStrategicMergePatch(pod, { metadata: { finalizers: ["b/y"], ownerReferences: [{ apiVersion: "v1", kind: "Y", name: "o2", uid: "2" }] } }, {
    schemas,
    rootRef: refOf("Pod"),
  });
  // new items first, as upstream's order normalisation leaves them without $setElementOrder
  assert.deepEqual(out.metadata.finalizers, ["b/y", "a/x"]);
  assert.deepEqual(out.metadata.ownerReferences?.map((r) => r.uid), ["2", "1"]);
});
