/** The kind table and each priority kind's defaults, validation and printing. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KindDef, StrategyContext } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { builtinKinds, builtinSchemas } from "../registry.ts";
import { bootstrapObjects, kubernetesEndpointObjects } from "../bootstrap.ts";

const kinds = builtinKinds();
const schemas = builtinSchemas();
const settings = { serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767] as [number, number], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" };
const ctx: StrategyContext = { user: { username: "admin", groups: ["system:masters"] }, subresource: "", cluster: settings };

function kind(group: string, k: string, version?: string): KindDef {
  const found = kinds.find((d) => d.group === group && d.kind === k && (!version || d.version === version));
  assert.ok(found, `no kind ${group}/${k}`);
  return found;
}

function obj(apiVersion: string, k: string, body: Record<string, unknown>, meta: Partial<KubeObject["metadata"]> = {}): KubeObject {
  return { apiVersion, kind: k, metadata: { name: "x", namespace: "default", ...meta }, ...body };
}

function fields(def: KindDef, o: KubeObject, old?: KubeObject): string[] {
  return def.validate!(o, old, ctx).map((e) => `${e.field}: ${e.message}`);
}

test("every kind has a schema in the registry, a plural, and unique group/version/resource", () => {
  const seen = new Set<string>();
  for (const k of kinds) {
    assert.ok(schemas[k.schemaRef], `${k.kind} has no schema ${k.schemaRef}`);
    const key = `${k.group}/${k.version}/${k.resource}`;
    assert.ok(!seen.has(key), `duplicate ${key}`);
    seen.add(key);
    assert.equal(k.columns?.length ?? 0, k.row ? k.columns!.length : 0);
  }
  const expect = ["v1/pods", "v1/services", "apps/v1/deployments", "batch/v1/cronjobs", "autoscaling/v2/horizontalpodautoscalers", "autoscaling/v1/horizontalpodautoscalers",
    "networking.k8s.io/v1/ingresses", "policy/v1/poddisruptionbudgets", "storage.k8s.io/v1/csinodes", "scheduling.k8s.io/v1/priorityclasses",
    "certificates.k8s.io/v1/certificatesigningrequests", "authentication.k8s.io/v1/selfsubjectreviews", "flowcontrol.apiserver.k8s.io/v1/flowschemas",
    "apiextensions.k8s.io/v1/customresourcedefinitions", "apiregistration.k8s.io/v1/apiservices", "events.k8s.io/v1/events", "discovery.k8s.io/v1/endpointslices"];
  for (const e of expect) assert.ok(seen.has(e.startsWith("v1/") ? `/${e}` : e), `missing ${e}`);
});

test("short names, categories and scopes as upstream", () => {
  const short = (g: string, k: string) => kind(g, k).shortNames ?? [];
  assert.deepEqual(short("", "Pod"), ["po"]);
  assert.deepEqual(short("apps", "Deployment"), ["deploy"]);
  assert.deepEqual(short("apiextensions.k8s.io", "CustomResourceDefinition"), ["crd", "crds"]);
  assert.deepEqual(short("networking.k8s.io", "NetworkPolicy"), ["netpol"]);
  const all = kinds.filter((k) => k.categories?.includes("all")).map((k) => `${k.resource}`).sort();
  assert.deepEqual([...new Set(all)], ["cronjobs", "daemonsets", "deployments", "horizontalpodautoscalers", "jobs", "pods", "replicasets", "replicationcontrollers", "services", "statefulsets"]);
  assert.equal(kind("", "Namespace").namespaced, false);
  assert.equal(kind("rbac.authorization.k8s.io", "ClusterRole").namespaced, false);
  assert.equal(kind("coordination.k8s.io", "Lease").namespaced, true);
  assert.deepEqual(kind("authorization.k8s.io", "SelfSubjectAccessReview").verbs, ["create"]);
});

test("schemas carry protobuf numbers and merge keys from upstream", () => {
  const containers = schemas["io.k8s.api.core.v1.PodSpec"].properties!.containers;
  assert.equal(containers.protobuf, 2);
  assert.equal(containers.patchMergeKey, "name");
  assert.equal(containers.patchStrategy, "merge");
  assert.equal(containers.listType, "map");
  const volumes = schemas["io.k8s.api.core.v1.PodSpec"].properties!.volumes;
  assert.equal(volumes.patchStrategy, "merge,retainKeys");
  assert.deepEqual(schemas["io.k8s.api.core.v1.ServiceSpec"].properties!.ports.listMapKeys, ["port", "protocol"]);
  const created = schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"].properties!.creationTimestamp;
  assert.equal(created.ref, "io.k8s.apimachinery.pkg.apis.meta.v1.Time");
  assert.equal(created.protobuf, 8);
  assert.ok(created.description, "explain shows our description");
  assert.ok(schemas["io.k8s.api.apps.v1.Deployment"].properties!.spec.description);
  assert.deepEqual(schemas["io.k8s.api.core.v1.Container"].required, ["name"]);
  assert.deepEqual(schemas["io.k8s.api.core.v1.ServiceSpec"].properties!.type.enum, ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]);
});

test("deployment defaults, selector validation, immutable selector and printing", () => {
  const d = kind("apps", "Deployment");
  const o = obj("apps/v1", "Deployment", { spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } } });
  d.defaults!(o);
  const spec = o.spec as Record<string, any>;
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } });
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.equal(spec.progressDeadlineSeconds, 600);
  assert.equal(spec.template.spec.restartPolicy, "Always");
  assert.equal(spec.template.spec.enableServiceLinks, undefined, "templates do not get pod-only defaults");
  assert.equal(spec.template.spec.tolerations, undefined);
  assert.equal(spec.template.spec.containers[0].imagePullPolicy, "Always");
  assert.deepEqual(fields(d, o), []);
  const bad = structuredClone(o);
  (bad.spec as any).template.metadata.labels = { app: "other" };
  assert.deepEqual(fields(d, bad), ['spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`']);
  const noContainers = structuredClone(o);
  (noContainers.spec as any).template.spec.containers = [];
  assert.deepEqual(fields(d, noContainers), ["spec.template.spec.containers: Required value"]);
  const moved = structuredClone(o);
  (moved.spec as any).selector = { matchLabels: { app: "web", tier: "x" } };
  (moved.spec as any).template.metadata.labels.tier = "x";
  assert.match(fields(d, moved, o)[0], /^spec\.selector: Invalid value: .*field is immutable$/);
  o.metadata.creationTimestamp = new Date(Date.now() - 3600_000).toISOString();
  o.status = { readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 };
  assert.deepEqual(d.row!(o), ["x", "1/1", 1, 1, "60m", "c", "nginx", "app=web"]);
});

test("job: generated selector and labels, restartPolicy rule, immutable template", () => {
  const j = kind("batch", "Job");
  const o = obj("batch/v1", "Job", { spec: { template: { spec: { containers: [{ name: "c", image: "busybox" }], restartPolicy: "Never" } } } }, { uid: "u-1" });
  j.defaults!(o);
  j.prepareForCreate!(o, ctx);
  const spec = o.spec as Record<string, any>;
  assert.equal(spec.completions, 1);
  assert.equal(spec.parallelism, 1);
  assert.equal(spec.backoffLimit, 6);
  assert.equal(spec.completionMode, "NonIndexed");
  assert.equal(spec.suspend, false);
  assert.deepEqual(spec.selector, { matchLabels: { "batch.kubernetes.io/controller-uid": "u-1" } });
  assert.equal(spec.template.metadata.labels["job-name"], "x");
  assert.equal(o.metadata.labels?.["batch.kubernetes.io/controller-uid"], "u-1", "a job without labels takes its template's");
  assert.deepEqual(fields(j, o), []);
  const always = structuredClone(o);
  (always.spec as any).template.spec.restartPolicy = "Always";
  // upstream reports an explicit "Always" as a missing choice: the pod defaults turn an unset policy into it
  assert.deepEqual(fields(j, always), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  const changed = structuredClone(o);
  (changed.spec as any).template.spec.containers[0].image = "alpine";
  assert.match(fields(j, changed, o)[0], /^spec\.template: Invalid value: .*field is immutable$/);
  o.status = { succeeded: 1, startTime: "2024-01-01T00:00:00Z", completionTime: "2024-01-01T00:00:12Z", conditions: [{ type: "Complete", status: "True" }] };
  assert.deepEqual(j.row!(o).slice(1, 4), ["Complete", "1/1", "12s"]);
});

test("service: names are DNS-1035 labels, ports need names when several, duplicate ports are refused", () => {
  const s = kind("", "Service");
  const o = obj("v1", "Service", { spec: { ports: [{ port: 80 }, { port: 80 }] } }, { name: "1web" });
  s.defaults!(o);
  assert.deepEqual(fields(s, o), [
    `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    "spec.ports[0].name: Required value",
    "spec.ports[1].name: Required value",
    'spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}',
  ]);
  const np = obj("v1", "Service", { spec: { type: "ClusterIP", ports: [{ port: 80, nodePort: 30000 }] } });
  assert.deepEqual(fields(s, np), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  const lb = obj("v1", "Service", { spec: { type: "LoadBalancer", selector: { app: "a" }, clusterIPs: ["10.43.0.5"], ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }] },
    status: { loadBalancer: { ingress: [{ ip: "192.168.1.20" }, { ip: "192.168.1.10" }] } } });
  assert.deepEqual(s.row!(lb), ["x", "LoadBalancer", "10.43.0.5", "192.168.1.10,192.168.1.20", "80:30080/TCP", "<unknown>", "app=a"]);
  const pending = obj("v1", "Service", { spec: { type: "LoadBalancer", ports: [] } });
  assert.equal(s.row!(pending)[3], "<pending>");
  assert.equal(s.row!(pending)[4], "<none>");
});

test("namespace, node, configmap, secret, endpoints, lease, rbac printing", () => {
  const ns = obj("v1", "Namespace", {}, { namespace: undefined, name: "team" });
  kind("", "Namespace").defaults!(ns);
  assert.deepEqual(ns.status, { phase: "Active" });
  assert.deepEqual(ns.spec, { finalizers: ["kubernetes"] });
  assert.equal(ns.metadata.labels?.["kubernetes.io/metadata.name"], "team");
  assert.deepEqual(fields(kind("", "Namespace"), obj("v1", "Namespace", {}, { namespace: undefined, name: "a.b" })).length, 1);
  const node = obj("v1", "Node", {
    spec: { unschedulable: true },
    status: { conditions: [{ type: "Ready", status: "True" }], addresses: [{ type: "InternalIP", address: "10.0.0.2" }], nodeInfo: { kubeletVersion: "v1.32.4+k3s1", osImage: "Debian GNU/Linux 12 (bookworm)", kernelVersion: "6.1.0", containerRuntimeVersion: "containerd://1.6.20" } },
  }, { namespace: undefined, name: "n1", labels: { "node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true" } });
  assert.deepEqual(kind("", "Node").row!(node), ["n1", "Ready,SchedulingDisabled", "control-plane,master", "<unknown>", "v1.32.4+k3s1", "10.0.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0", "containerd://1.6.20"]);
  const cm = obj("v1", "ConfigMap", { data: { a: "1" }, binaryData: { b: "AA==" } });
  assert.deepEqual(kind("", "ConfigMap").row!(cm).slice(0, 2), ["x", 2]);
  assert.deepEqual(fields(kind("", "ConfigMap"), obj("v1", "ConfigMap", { data: { "bad key": "v" } })).length, 1);
  const secret = obj("v1", "Secret", { stringData: { pw: "x" } });
  kind("", "Secret").defaults!(secret);
  kind("", "Secret").prepareForCreate!(secret, ctx);
  assert.deepEqual(secret.data, { pw: "eA==" });
  assert.equal(secret.stringData, undefined);
  assert.deepEqual(kind("", "Secret").row!(secret).slice(0, 3), ["x", "Opaque", 1]);
  const ep = obj("v1", "Endpoints", { subsets: [{ addresses: [{ ip: "10.42.0.1" }, { ip: "10.42.0.2" }, { ip: "10.42.0.3" }, { ip: "10.42.0.4" }], ports: [{ port: 80 }] }] });
  assert.equal(kind("", "Endpoints").row!(ep)[1], "10.42.0.1:80,10.42.0.2:80,10.42.0.3:80 + 1 more...");
  const lease = obj("coordination.k8s.io/v1", "Lease", { spec: { holderIdentity: "n1" } });
  assert.deepEqual(kind("coordination.k8s.io", "Lease").row!(lease).slice(0, 2), ["x", "n1"]);
  const rb = obj("rbac.authorization.k8s.io/v1", "RoleBinding", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "User", name: "alice" }, { kind: "ServiceAccount", name: "r", namespace: "default" }] });
  kind("rbac.authorization.k8s.io", "RoleBinding").defaults!(rb);
  assert.deepEqual(fields(kind("rbac.authorization.k8s.io", "RoleBinding"), rb), []);
  assert.deepEqual(kind("rbac.authorization.k8s.io", "RoleBinding").row!(rb), ["x", "ClusterRole/view", "<unknown>", "alice", "", "default:r"]);
  const changed = structuredClone(rb);
  (changed.roleRef as any).name = "edit";
  assert.match(fields(kind("rbac.authorization.k8s.io", "RoleBinding"), changed, rb)[0], /^roleRef: Invalid value: .*cannot change roleRef$/);
  const role = obj("rbac.authorization.k8s.io/v1", "Role", { rules: [{ verbs: [], resources: ["pods"] }] });
  assert.deepEqual(fields(kind("rbac.authorization.k8s.io", "Role"), role), [
    "rules[0].verbs: Required value: verbs must contain at least one value",
    "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
  ]);
});

test("events print like kubectl get events", () => {
  const ev = obj("v1", "Event", {
    involvedObject: { kind: "Pod", name: "web-1", namespace: "default", fieldPath: "spec.containers{c}" }, reason: "Pulled", type: "Normal",
    message: " pulled image \n", source: { component: "kubelet", host: "n1" }, count: 3,
    firstTimestamp: new Date(Date.now() - 600_000).toISOString(), lastTimestamp: new Date(Date.now() - 30_000).toISOString(),
  });
  assert.deepEqual(kind("", "Event").row!(ev), ["30s", "Normal", "Pulled", "pod/web-1", "spec.containers{c}", "kubelet, n1", "pulled image", "10m", 3, "x"]);
  const newer = obj("events.k8s.io/v1", "Event", { regarding: { kind: "Node", name: "n1" }, reason: "Ready", type: "Normal", note: "ok", eventTime: new Date(Date.now() - 5000).toISOString(), reportingController: "kubelet", reportingInstance: "n1", action: "x" });
  assert.deepEqual(kind("events.k8s.io", "Event").row!(newer).slice(0, 7), ["5s", "Normal", "Ready", "node/n1", "", "kubelet, n1", "ok"]);
});

test("priority classes: reserved prefix, value cap, bootstrap objects", () => {
  const pc = kind("scheduling.k8s.io", "PriorityClass");
  assert.deepEqual(fields(pc, obj("scheduling.k8s.io/v1", "PriorityClass", { value: 2000000000 }, { namespace: undefined, name: "big" })),
    ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]);
  assert.deepEqual(fields(pc, obj("scheduling.k8s.io/v1", "PriorityClass", { value: 1 }, { namespace: undefined, name: "system-mine" })),
    ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"]);
  const boot = bootstrapObjects(settings);
  assert.deepEqual(boot.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name), ["default", "kube-system", "kube-public", "kube-node-lease"]);
  for (const o of boot.filter((b) => b.kind === "PriorityClass")) {
    pc.defaults!(o);
    assert.deepEqual(fields(pc, o), [], `${o.metadata.name} must validate`);
  }
  const svc = boot.find((o) => o.kind === "Service")!;
  assert.equal((svc.spec as any).clusterIP, "10.43.0.1");
  assert.deepEqual(fields(kind("", "Service"), svc), []);
  const [eps, slice] = kubernetesEndpointObjects({ address: "192.168.1.5", port: 6443 });
  assert.equal(kind("", "Endpoints").row!(eps)[1], "192.168.1.5:6443");
  assert.deepEqual(fields(kind("discovery.k8s.io", "EndpointSlice"), slice), []);
});

test("CRDs: name must be plural.group, one storage version, schemas required", () => {
  const crd = kind("apiextensions.k8s.io", "CustomResourceDefinition");
  const o = obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", {
    spec: { group: "example.com", scope: "Namespaced", names: { plural: "widgets", kind: "Widget" }, versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }] },
  }, { namespace: undefined, name: "widgets.example.com" });
  crd.defaults!(o);
  assert.deepEqual(fields(crd, o), []);
  assert.equal((o.spec as any).names.listKind, "WidgetList");
  const bad = structuredClone(o);
  bad.metadata.name = "gadgets.example.com";
  (bad.spec as any).versions[0].storage = false;
  delete (bad.spec as any).versions[0].schema;
  assert.deepEqual(fields(crd, bad), [
    'metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group',
    'spec.versions: Invalid value: ["v1"]: must have exactly one version marked as storage version',
    "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required",
  ]);
});

test("statefulset: volumeClaimTemplates defaults and forbidden spec updates", () => {
  const sts = kind("apps", "StatefulSet");
  const o = obj("apps/v1", "StatefulSet", { spec: { serviceName: "db", selector: { matchLabels: { app: "db" } }, template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "db", image: "postgres" }] } },
    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }] } });
  sts.defaults!(o);
  const spec = o.spec as Record<string, any>;
  assert.equal(spec.podManagementPolicy, "OrderedReady");
  assert.deepEqual(spec.updateStrategy, { type: "RollingUpdate", rollingUpdate: { partition: 0 } });
  assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
  assert.equal(spec.volumeClaimTemplates[0].spec.volumeMode, "Filesystem");
  assert.deepEqual(fields(sts, o), []);
  const scaled = structuredClone(o);
  (scaled.spec as any).replicas = 3;
  assert.deepEqual(fields(sts, scaled, o), []);
  const renamed = structuredClone(o);
  (renamed.spec as any).serviceName = "other";
  assert.match(fields(sts, renamed, o)[0], /^spec: Forbidden: updates to statefulset spec for fields other than/);
});
