// Checks the kubelet's view of the API with the Node authorizer (fed by
// nodeGraph's informers) chained before RBAC's node-authorizer policy, and
// NodeRestriction admission: the kubelet's own code registers its Node,
// renews its Lease, lists its pods, reads the configmaps and secrets its
// pods use and asks tokens for their service accounts; it cannot read other
// secrets, patch another node (also refused to kubectl with a node
// certificate), change its taints or protected labels, create pods other than
// its own mirror pods, or write the status of another node's pods.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KubeObject } from "../../../api/types.ts";
import { renewLease, registerNode, type NodeInfoOptions } from "../../../kubelet/node.ts";
import { TokenCache } from "../../../kubelet/volumes/volumes.ts";
import type { KPod } from "../../../kubelet/types.ts";
import { createNodeAuthorizer, unionAuthorizers } from "../../auth/node.ts";
import { createRbacAuthorizer } from "../../auth/rbac/authorizer.ts";
import { bootstrapPolicy } from "../../auth/rbac/policy.ts";
import { tokenRequestHandler } from "../../auth/tokenrequest.ts";
import { kubectl } from "../../testenv.ts";
import { getOrUndefined, REFS } from "./common.ts";
import { nodeGraph, type InformerNodeGraph } from "./nodegraph.ts";
import { eventually, nodeUser, refusal, startPluginServer, testPod, type PluginTestEnv } from "./testsupport.ts";

function nodeInfo(nodeName: string, dir: string): NodeInfoOptions {
  return { nodeName, nodeIPs: ["10.0.0.1"], labels: { "node.kubernetes.io/instance-type": "k3s" }, taints: [], runtimeVersion: "containerd://1.7.0", rootDir: dir, kubeletPort: 10250 };
}

/** A kubeconfig whose client certificate names system:node:<name> in system:nodes. */
function nodeKubeconfig(env: PluginTestEnv, name: string): string {
  const dir = env.ts.dir;
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/O=system:nodes/CN=system:node:${name}`]);
  writeFileSync(join(dir, `${name}.ext`), "extendedKeyUsage=clientAuth\n");
  run(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "1", "-extfile", `${name}.ext`]);
  const b64 = (f: string) => readFileSync(join(dir, f)).toString("base64");
  const path = join(dir, `${name}.kubeconfig`);
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster: {server: "${env.ts.url}", certificate-authority-data: ${b64("ca.crt")}}\nusers:\n- name: kubelet\n  user: {client-certificate-data: ${b64(`${name}.crt`)}, client-key-data: ${b64(`${name}.key`)}}\ncontexts:\n- name: t\n  context: {cluster: t, user: kubelet}\ncurrent-context: t\n`,
  );
  return path;
}

describe("kubelet identity under the Node authorizer and NodeRestriction", () => {
  let env: PluginTestEnv;
  let graph: InformerNodeGraph;
  before(async () => {
    const policy = bootstrapPolicy({ nodeAuthorizer: true });
    const of = (kind: string) => async () => policy.filter((o) => o.kind === kind);
    const rbac = createRbacAuthorizer({ lister: { listRoles: of("Role"), listRoleBindings: of("RoleBinding"), listClusterRoles: of("ClusterRole"), listClusterRoleBindings: of("ClusterRoleBinding") } });
    env = await startPluginServer({
      authorizer: (admin) => {
        graph = nodeGraph(admin);
        return unionAuthorizers([createNodeAuthorizer({ graph }), rbac]);
      },
    });
    graph.start();
    await graph.ready();
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const lookup = {
      getObject: (resource: string, namespace: string, name: string) =>
        getOrUndefined(env.admin, { ref: { group: "", version: "v1", resource, namespaced: resource !== "nodes" }, namespace: resource === "nodes" ? undefined : namespace, name }),
    };
    env.ts.api.registerSubresource("serviceaccounts", "token", tokenRequestHandler({ key, lookup }));
    await env.admin.create(REFS.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-node-lease" } });
    const data = { k: Buffer.from("v").toString("base64") };
    for (const name of ["s1", "s2"]) await env.admin.create(REFS.secrets, "default", { apiVersion: "v1", kind: "Secret", metadata: { name }, data });
    await env.admin.create(REFS.configmaps, "default", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c1" }, data: { k: "v" } });
  });
  after(async () => {
    graph.stop();
    await env.close();
  });

  it("lets the kubelet register, renew its lease and watch its node and pods", async () => {
    const n1 = env.as(nodeUser("n1"));
    const node = await registerNode(n1, nodeInfo("n1", env.ts.dir));
    assert.equal(node.metadata.name, "n1");
    await registerNode(n1, nodeInfo("n1", env.ts.dir));
    await renewLease(n1, { nodeName: "n1", ownerUid: node.metadata.uid });
    await renewLease(n1, { nodeName: "n1", ownerUid: node.metadata.uid });
    const lease = await env.admin.get(REFS.leases, "kube-node-lease", "n1");
    assert.equal((lease.spec as { holderIdentity?: string }).holderIdentity, "n1");
    assert.equal((await n1.list(REFS.nodes, undefined, { fieldSelector: "metadata.name=n1" })).items.length, 1);
    assert.deepEqual((await n1.list(REFS.pods, undefined, { fieldSelector: "spec.nodeName=n1" })).items, []);
    const w = await n1.watch(REFS.pods, undefined, { fieldSelector: "spec.nodeName=n1" });
    w.stop();
    await registerNode(env.as(nodeUser("n2")), nodeInfo("n2", env.ts.dir));
  });

  it("lets the kubelet read only what its pods use, and ask their tokens", async () => {
    const n1 = env.as(nodeUser("n1"));
    const pod = testPod("app", { nodeName: "n1", containers: [{ name: "c", image: "busybox", envFrom: [{ configMapRef: { name: "c1" } }] }], volumes: [{ name: "s", secret: { secretName: "s1" } }] });
    const created = await env.admin.create<KubeObject>(REFS.pods, "default", pod);
    const s1 = await eventually(() => n1.get(REFS.secrets, "default", "s1").catch(() => undefined));
    assert.equal(s1.metadata.name, "s1");
    assert.equal((await n1.get(REFS.configmaps, "default", "c1")).metadata.name, "c1");
    const denied = await refusal(n1.get(REFS.secrets, "default", "s2"));
    assert.equal(denied.code, 403);
    assert.equal(denied.message, `secrets "s2" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'n1' and this object`);
    assert.equal((await refusal(env.as(nodeUser("n2")).get(REFS.secrets, "default", "s1"))).code, 403, "another node may not read it");
    assert.equal((await refusal(n1.list(REFS.secrets, "default"))).code, 403);
    const token = await new TokenCache(n1).token(created as unknown as KPod, {});
    assert.equal(token.split(".").length, 3, "a signed JWT");
    assert.equal((await n1.list(REFS.pods, undefined, { fieldSelector: "spec.nodeName=n1" })).items.length, 1);
    await n1.patch(REFS.pods, "default", "app", "merge", { status: { phase: "Running" } }, { subresource: "status" });
  });

  it("refuses node A patching node B, with kubectl too", async () => {
    const n1 = env.as(nodeUser("n1"));
    const s = await refusal(n1.patch(REFS.nodes, undefined, "n2", "merge", { metadata: { labels: { stolen: "yes" } } }));
    assert.equal(s.code, 403);
    assert.equal(s.message, 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    assert.equal((await refusal(n1.patch(REFS.nodes, undefined, "n2", "merge", { status: { phase: "x" } }, { subresource: "status" }))).code, 403);
    const kc = nodeKubeconfig(env, "n1");
    const r = await kubectl({ kubeconfig: kc, dir: env.ts.dir }, ["label", "node", "n2", "stolen=yes"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"/);
    const own = await kubectl({ kubeconfig: kc, dir: env.ts.dir }, ["label", "node", "n1", "mine=yes"]);
    assert.equal(own.code, 0, own.stderr);
  });

  it("keeps a node from changing its taints or protected labels", async () => {
    const n1 = env.as(nodeUser("n1"));
    const taint = await refusal(n1.patch(REFS.nodes, undefined, "n1", "merge", { spec: { taints: [{ key: "k", effect: "NoSchedule" }] } }));
    assert.equal(taint.message, 'nodes "n1" is forbidden: node "n1" is not allowed to modify taints');
    const label = await refusal(n1.patch(REFS.nodes, undefined, "n1", "merge", { metadata: { labels: { "node-role.kubernetes.io/control-plane": "true" } } }));
    assert.equal(label.message, 'nodes "n1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/control-plane');
    await n1.patch(REFS.nodes, undefined, "n1", "merge", { metadata: { labels: { "topology.kubernetes.io/zone": "a", "k3s.io/hostname": "n1" } } });
  });

  it("limits pod writes to its own mirror pods and its pods' status", async () => {
    const n1 = env.as(nodeUser("n1"));
    const n2 = env.as(nodeUser("n2"));
    const mirror = (name: string, nodeName: string): KubeObject => {
      const p = testPod(name, { nodeName });
      p.metadata.annotations = { "kubernetes.io/config.mirror": "abc" };
      return p;
    };
    assert.equal((await refusal(n1.create(REFS.pods, "default", testPod("plain", { nodeName: "n1" })))).message, 'pods "plain" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods');
    assert.equal((await refusal(n1.create(REFS.pods, "default", mirror("elsewhere", "n2")))).message, 'pods "elsewhere" is forbidden: node "n1" can only create pods with spec.nodeName set to itself');
    await n1.create(REFS.pods, "default", mirror("static-n1", "n1"));
    const status = await refusal(n2.patch(REFS.pods, "default", "app", "merge", { status: { phase: "Failed" } }, { subresource: "status" }));
    assert.equal(status.message, 'pods "app" is forbidden: node "n2" can only update pod status for pods with spec.nodeName set to itself');
    assert.equal((await refusal(n2.delete(REFS.pods, "default", "app"))).message, 'pods "app" is forbidden: node "n2" can only delete pods with spec.nodeName set to itself');
    assert.equal((await refusal(n2.update(REFS.leases, "kube-node-lease", await env.admin.get(REFS.leases, "kube-node-lease", "n1")))).message, 'leases.coordination.k8s.io "n1" is forbidden: can only access node lease with the same name as the requesting node');
    await n1.delete(REFS.pods, "default", "static-n1", { gracePeriodSeconds: 0 });
  });
});
