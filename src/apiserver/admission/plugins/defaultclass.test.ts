// Checks DefaultStorageClass and DefaultIngressClass against the real REST
// core: a claim or Ingress that names no class gets the newest class marked
// default, one that names a class (even "" for claims, or through the old
// annotations) keeps it, and with no default nothing is set.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import { REFS } from "./common.ts";
import { newestDefault } from "./defaultclass.ts";
import { startPluginServer, type PluginTestEnv } from "./testsupport.ts";

const INGRESSES = { group: "networking.k8s.io", version: "v1", resource: "ingresses", namespaced: true };

const storageClass = (name: string, isDefault: boolean): KubeObject => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name, annotations: isDefault ? { "storageclass.kubernetes.io/is-default-class": "true" } : {} },
  provisioner: "rancher.io/local-path",
});

const claim = (name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, annotations },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
});

const ingress = (name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name, annotations },
  spec: { defaultBackend: { service: { name: "web", port: { number: 80 } } }, ...spec },
});

const classOf = (o: KubeObject, field: string): unknown => (o.spec as Record<string, unknown>)[field];

describe("DefaultStorageClass and DefaultIngressClass admission", () => {
  let env: PluginTestEnv;
  before(async () => {
    env = await startPluginServer({ disable: ["PodSecurity"] });
  });
  after(async () => {
    await env.close();
  });

  it("leaves a claim without class alone while no class is the default", async () => {
    await env.admin.create(REFS.storageclasses, undefined, storageClass("slow", false));
    const pvc = await env.admin.create(REFS.persistentvolumeclaims, "default", claim("before"));
    assert.equal(classOf(pvc, "storageClassName"), undefined);
  });

  it("gives a claim without class the default StorageClass, and keeps a chosen one", async () => {
    await env.admin.create(REFS.storageclasses, undefined, storageClass("local-path", true));
    const plain = await env.admin.create(REFS.persistentvolumeclaims, "default", claim("plain"));
    assert.equal(classOf(plain, "storageClassName"), "local-path");
    const chosen = await env.admin.create(REFS.persistentvolumeclaims, "default", claim("chosen", { storageClassName: "slow" }));
    assert.equal(classOf(chosen, "storageClassName"), "slow");
    const none = await env.admin.create(REFS.persistentvolumeclaims, "default", claim("none", { storageClassName: "" }));
    assert.equal(classOf(none, "storageClassName"), "", "an empty class asks for no class");
    const beta = await env.admin.create(REFS.persistentvolumeclaims, "default", claim("beta", {}, { "volume.beta.kubernetes.io/storage-class": "slow" }));
    assert.equal(classOf(beta, "storageClassName"), undefined);
  });

  it("gives an Ingress without class the default IngressClass unless it names one", async () => {
    const before = await env.admin.create(INGRESSES, "default", ingress("before"));
    assert.equal(classOf(before, "ingressClassName"), undefined);
    await env.admin.create(REFS.ingressclasses, undefined, {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { name: "traefik", annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } },
      spec: { controller: "traefik.io/ingress-controller" },
    });
    const plain = await env.admin.create(INGRESSES, "default", ingress("plain"));
    assert.equal(classOf(plain, "ingressClassName"), "traefik");
    const annotated = await env.admin.create(INGRESSES, "default", ingress("annotated", {}, { "kubernetes.io/ingress.class": "nginx" }));
    assert.equal(classOf(annotated, "ingressClassName"), undefined);
    const named = await env.admin.create(INGRESSES, "default", ingress("named", { ingressClassName: "nginx" }));
    assert.equal(classOf(named, "ingressClassName"), "nginx");
  });
});

describe("newestDefault", () => {
  const at = (name: string, ts: string, mark = true): KubeObject => ({ apiVersion: "v1", kind: "X", metadata: { name, creationTimestamp: ts, labels: mark ? { d: "y" } : {} } });
  const isDefault = (o: KubeObject): boolean => o.metadata.labels?.d === "y";
  it("picks the newest marked object, by name on a tie", () => {
    assert.equal(newestDefault([at("a", "2024-01-01T00:00:00Z"), at("b", "2024-02-01T00:00:00Z"), at("c", "2024-03-01T00:00:00Z", false)], isDefault)?.metadata.name, "b");
    assert.equal(newestDefault([at("z", "2024-01-01T00:00:00Z"), at("m", "2024-01-01T00:00:00Z")], isDefault)?.metadata.name, "m");
    assert.equal(newestDefault([at("c", "2024-03-01T00:00:00Z", false)], isDefault), undefined);
  });
});
