/**
 * The defaults upstream's admission plugins apply, as the real kubectl 1.32
 * sees them through the in-process API server with the built-in chain: a
 * system-cluster-critical pod in kube-system gets spec.priority 2000000000,
 * an unknown PriorityClass is refused, a PVC without class gets the default
 * StorageClass, an Ingress without class the default IngressClass, kubectl
 * certificate approve works and system:masters client CSRs are refused, and
 * default cannot be deleted.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createCSR, generateKey } from "../../../server/pki/mod.ts";
import { reviewPaths } from "../../auth/handlers.ts";
import { kubectl } from "../../testenv.ts";
import { startPluginServer, type PluginTestEnv } from "./testsupport.ts";

const CLASSES = `
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: kube-system}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: system-cluster-critical}
value: 2000000000
description: Used for system critical pods that must run in the cluster.
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local-path
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: traefik
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: traefik.io/ingress-controller}
`;

const pod = (name: string, namespace: string, priorityClassName: string): string => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  priorityClassName: ${priorityClassName}
  containers: [{name: c, image: busybox}]
`;

const WORKLOAD = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;

describe("upstream's admission defaults through kubectl", () => {
  let env: PluginTestEnv;
  const run = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(env.ts, args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  before(async () => {
    env = await startPluginServer();
    // CertificateApproval asks through SubjectAccessReviews, served as the API server serves them
    for (const p of reviewPaths({ authorizer: { authorize: async () => ({ allowed: true }) } })) env.ts.api.registerPath(p.prefix, p.handler);
    await run(["apply", "-f", "-"], CLASSES);
  });
  after(async () => {
    await env?.close();
  });

  it("resolves system-cluster-critical to priority 2000000000 in kube-system", async () => {
    await run(["apply", "-f", "-"], pod("critical", "kube-system", "system-cluster-critical"));
    const out = await run(["get", "pod", "critical", "-n", "kube-system", "-o", "jsonpath={.spec.priority} {.spec.preemptionPolicy}"]);
    assert.equal(out, "2000000000 PreemptLowerPriority");
  });

  it("refuses a pod naming an unknown PriorityClass", async () => {
    const r = await kubectl(env.ts, ["apply", "-f", "-"], pod("lost", "default", "no-such-class"));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(Forbidden\): error when creating "STDIN": pods "lost" is forbidden: no PriorityClass with name no-such-class was found/);
  });

  it("gives a PVC and an Ingress without class the default classes", async () => {
    await run(["apply", "-f", "-"], WORKLOAD);
    assert.equal(await run(["get", "pvc", "data", "-o", "jsonpath={.spec.storageClassName}"]), "local-path");
    assert.equal(await run(["get", "ingress", "web", "-o", "jsonpath={.spec.ingressClassName}"]), "traefik");
  });

  it("approves a CSR with kubectl certificate approve and refuses one for system:masters", async () => {
    const csr = (name: string, o: string): string => `
apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: ${name}}
spec:
  signerName: kubernetes.io/kube-apiserver-client
  usages: [client auth]
  request: ${Buffer.from(createCSR(generateKey(), { subject: { cn: name, o: [o] } })).toString("base64")}
`;
    await run(["apply", "-f", "-"], csr("dev", "devs"));
    await run(["certificate", "approve", "dev"]);
    assert.equal(await run(["get", "csr", "dev", "-o", "jsonpath={.status.conditions[0].type}"]), "Approved");
    const root = await kubectl(env.ts, ["apply", "-f", "-"], csr("root", "system:masters"));
    assert.notEqual(root.code, 0);
    assert.match(root.stderr, /use of kubernetes.io\/kube-apiserver-client signer with system:masters group is not allowed/);
  });

  it("refuses deleting the default namespace", async () => {
    const r = await kubectl(env.ts, ["delete", "namespace", "default"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /namespaces "default" is forbidden: this namespace may not be deleted/);
  });
});
