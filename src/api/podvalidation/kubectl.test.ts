/**
 * Pod validation end to end: the real kubectl 1.32 against the in-process API
 * server. Invalid pods and deployments are refused with 422 and every field at
 * fault listed (as kubectl prints each cause); nothing invalid is stored; and
 * every manifest of the realistic fixtures is still accepted.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kubectl, startTestServer, type TestServer } from "../../apiserver/testenv.ts";
import type { KindDef } from "../kind.ts";
import { builtinKinds, builtinSchemas, decodeProtobuf } from "../mod.ts";

const settings = { serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767] as [number, number], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" };
const root = join(import.meta.dirname, "..", "..", "..");
let ts: TestServer;

before(async () => {
  const schemas = builtinSchemas();
  ts = await startTestServer({ kinds: builtinKinds(), schemas, cluster: settings, protobuf: (_kind: KindDef, body: Buffer) => decodeProtobuf(schemas, body) });
});

after(async () => {
  await ts?.close();
});

/** The "* field: message" lines kubectl prints for an Invalid status. */
function causes(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("* ")).map((l) => l.slice(2));
}

test("every manifest of the realistic fixtures is accepted", async () => {
  // each set in its own namespace: both name some objects alike, and this test is about creates
  for (const [ns, file] of [["fixtures-e2e", "test/e2e/fixtures/app.yaml"], ["fixtures-api", "src/api/testdata/app.yaml"]]) {
    assert.equal((await kubectl(ts, ["create", "namespace", ns])).code, 0);
    const r = await kubectl(ts, ["apply", "-n", ns, "-f", "-"], readFileSync(join(root, file), "utf8"));
    assert.equal(r.code, 0, `${file}: ${r.stderr}`);
  }
});

const badPod = `apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  securityContext: {runAsUser: -1, fsGroupChangePolicy: Sometimes}
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}
  topologySpreadConstraints:
    - {maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
  containers:
    - name: web
      image: nginx
      ports: [{containerPort: 80, name: http}, {containerPort: 81, name: http}]
      livenessProbe: {httpGet: {port: 80}, tcpSocket: {port: 80}, successThreshold: 2}
      securityContext: {allowPrivilegeEscalation: false, privileged: true}
      volumeMounts: [{name: missing, mountPath: /data}]
  volumes:
    - {name: cfg, configMap: {name: c, items: [{key: k, path: ../etc}]}}
`;

test("an invalid pod is refused with every cause listed, and is not stored", async () => {
  const r = await kubectl(ts, ["apply", "-f", "-"], badPod);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /The Pod "bad" is invalid:/);
  assert.deepEqual(causes(r.stderr), [
    `spec.volumes[0].configMap.items[0].path: Invalid value: "../etc": must not contain '..'`,
    'spec.containers[0].ports[1].name: Duplicate value: "http"',
    'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
    'spec.containers[0].securityContext: Invalid value: {"allowPrivilegeEscalation":false,"privileged":true}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
    "spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
    "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
    'spec.securityContext.fsGroupChangePolicy: Unsupported value: "Sometimes": supported values: "Always", "OnRootMismatch"',
    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term",
    "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
  ]);
  const get = await kubectl(ts, ["get", "pod", "bad"]);
  assert.match(get.stderr, /NotFound/);
});

test("the API answers 422 Invalid with field paths in details.causes", async () => {
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "bad2" }, spec: { containers: [{ name: "c", image: "x", env: [{ name: "A=B" }] }], dnsPolicy: "None" } };
  const res = await ts.request("POST", "/api/v1/namespaces/default/pods", { body: pod });
  assert.equal(res.status, 422);
  const body = res.json();
  assert.equal(body.reason, "Invalid");
  assert.deepEqual(body.details.causes.map((c: { field: string; reason: string }) => [c.field, c.reason]), [
    ["spec.containers[0].env[0].name", "FieldValueInvalid"],
    ["spec.dnsConfig", "FieldValueRequired"],
  ]);
});

const badDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: bad-deploy}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      restartPolicy: Always
      tolerations: [{key: k, operator: Exists, value: v}]
      initContainers:
        - {name: init, image: busybox, restartPolicy: OnFailure, readinessProbe: {exec: {command: [x]}}}
      containers:
        - name: web
          image: nginx
          resources: {requests: {cpu: "2"}, limits: {cpu: "1"}}
          env: [{name: X, valueFrom: {fieldRef: {fieldPath: status.phase, apiVersion: v1}}}]
`;

test("an invalid deployment's pod template is refused with template paths", async () => {
  const r = await kubectl(ts, ["apply", "-f", "-"], badDeployment);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /The Deployment "bad-deploy" is invalid:/);
  const t = "spec.template.spec";
  assert.deepEqual(causes(r.stderr), [
    `${t}.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"`,
    `${t}.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`,
    `${t}.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`,
    `${t}.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always`,
    `${t}.tolerations[0].operator: Invalid value: "v": value must be empty when \`operator\` is 'Exists'`,
  ]);
  assert.match((await kubectl(ts, ["get", "deploy", "bad-deploy"])).stderr, /NotFound/);
});

test("a valid pod with the newer fields is accepted, and an update may change only what upstream allows", async () => {
  const pod = `apiVersion: v1
kind: Pod
metadata: {name: good}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}, sysctls: [{name: net.ipv4.ping_group_range, value: "0 2147483647"}]}
  topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: good}}}]
  affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 50, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: good}}}}]}}
  initContainers: [{name: log, image: busybox, restartPolicy: Always, startupProbe: {exec: {command: ["true"]}}}]
  containers:
    - name: app
      image: busybox:1.36
      command: [sleep, "3600"]
      lifecycle: {preStop: {sleep: {seconds: 5}}}
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;
  const created = await kubectl(ts, ["apply", "-f", "-"], pod);
  assert.equal(created.code, 0, created.stderr);
  const changed = await kubectl(ts, ["apply", "-f", "-"], pod.replace("sleep, \"3600\"", "sleep, \"60\""));
  assert.notEqual(changed.code, 0);
  assert.match(changed.stderr, /spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  const image = await kubectl(ts, ["apply", "-f", "-"], pod.replace("busybox:1.36", "busybox:1.37"));
  assert.equal(image.code, 0, image.stderr);
});
