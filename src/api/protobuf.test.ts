/**
 * The protobuf decoder on bytes the real kubectl 1.32 sends: a tiny HTTPS
 * server records each POST body and answers 201 with JSON; the recorded
 * bodies are decoded with the built-in schemas and compared field by field.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinSchemas, decodeProtobuf } from "./mod.ts";

const KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";

interface Captured {
  path: string;
  contentType: string;
  body: Buffer;
}

let dir = "";
let server: Server;
let kubeconfig = "";
const captured: Captured[] = [];
const schemas = builtinSchemas();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "api-protobuf-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
  server = createServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (req.url?.startsWith("/version")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ major: "1", minor: "32", gitVersion: "v1.32.4", platform: "linux/amd64" }));
        return;
      }
      if (req.method === "POST") {
        captured.push({ path: req.url ?? "", contentType: String(req.headers["content-type"] ?? ""), body });
        // answer with the decoded object so kubectl prints success
        let answer: unknown = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
        try {
          answer = decodeProtobuf(schemas, body);
        } catch {
          // kubectl still needs a JSON answer; the assertion below reports the failure
        }
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify(answer));
        return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "NotFound", code: 404 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, [
    "apiVersion: v1", "kind: Config", "current-context: t",
    "clusters:", `- name: t`, `  cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}`,
    "users:", "- name: t", "  user: {token: abc}",
    "contexts:", "- name: t", "  context: {cluster: t, user: t, namespace: default}",
  ].join("\n"));
});

after(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function kubectl(args: string[]): Promise<void> {
  return new Promise((resolve) => {
    execFile(KUBECTL, ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), ...args], { timeout: 30_000 }, () => resolve());
  });
}

async function capture(args: string[]): Promise<Captured> {
  const before = captured.length;
  await kubectl(args);
  assert.ok(captured.length > before, `kubectl ${args.join(" ")} sent no POST`);
  const c = captured[captured.length - 1];
  assert.match(c.contentType, /application\/vnd\.kubernetes\.protobuf/);
  return c;
}

test("configmap from kubectl create configmap --from-literal", async () => {
  const c = await capture(["create", "configmap", "x", "--from-literal=a=b", "--from-literal=c=d"]);
  assert.equal(c.path.split("?")[0], "/api/v1/namespaces/default/configmaps");
  const obj = decodeProtobuf(schemas, c.body);
  assert.equal(obj.apiVersion, "v1");
  assert.equal(obj.kind, "ConfigMap");
  assert.equal(obj.metadata.name, "x");
  assert.deepEqual(obj.data, { a: "b", c: "d" });
});

test("secret data travels as bytes and comes out base64", async () => {
  const c = await capture(["create", "secret", "generic", "s", "--from-literal=pw=hunter2", "--type=Opaque"]);
  const obj = decodeProtobuf(schemas, c.body);
  assert.equal(obj.kind, "Secret");
  assert.equal(obj.type, "Opaque");
  assert.deepEqual(obj.data, { pw: Buffer.from("hunter2").toString("base64") });
});

test("deployment: nested template, pointer replicas, labels and selector", async () => {
  const c = await capture(["create", "deployment", "web", "--image=nginx:1.27", "--replicas=0", "--port=80"]);
  const obj = decodeProtobuf(schemas, c.body);
  assert.equal(obj.apiVersion, "apps/v1");
  assert.equal(obj.kind, "Deployment");
  const spec = obj.spec as Record<string, any>;
  assert.equal(spec.replicas, 0, "a pointer zero is a value");
  assert.deepEqual(spec.selector, { matchLabels: { app: "web" } });
  assert.deepEqual(spec.template.metadata.labels, { app: "web" });
  assert.equal(spec.template.spec.containers[0].name, "nginx");
  assert.equal(spec.template.spec.containers[0].image, "nginx:1.27");
  assert.deepEqual(spec.template.spec.containers[0].ports, [{ containerPort: 80 }]);
  assert.deepEqual(spec.template.spec.containers[0].resources, {});
  assert.equal(obj.metadata.creationTimestamp, undefined, "zero time is unset");
});

test("service: ports with IntOrString targetPort", async () => {
  const c = await capture(["create", "service", "nodeport", "np", "--tcp=8080:http"]);
  const obj = decodeProtobuf(schemas, c.body);
  const spec = obj.spec as Record<string, any>;
  assert.equal(spec.type, "NodePort");
  assert.equal(spec.ports[0].port, 8080);
  assert.equal(spec.ports[0].targetPort, "http");
  assert.equal(spec.ports[0].protocol, "TCP");
});

test("cronjob and namespace and rbac kinds decode", async () => {
  const cj = decodeProtobuf(schemas, (await capture(["create", "cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *", "--", "date"])).body);
  const jt = (cj.spec as Record<string, any>).jobTemplate;
  assert.equal((cj.spec as Record<string, any>).schedule, "*/5 * * * *");
  assert.deepEqual(jt.spec.template.spec.containers[0].command, ["date"]);
  assert.equal(jt.spec.template.spec.restartPolicy, "OnFailure");
  const ns = decodeProtobuf(schemas, (await capture(["create", "namespace", "team-a"])).body);
  assert.equal(ns.kind, "Namespace");
  assert.equal(ns.metadata.name, "team-a");
  const rb = decodeProtobuf(schemas, (await capture(["create", "rolebinding", "rb", "--clusterrole=view", "--user=alice", "--serviceaccount=default:robot"])).body);
  assert.deepEqual(rb.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" });
  assert.deepEqual(rb.subjects, [
    { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" },
    { kind: "ServiceAccount", name: "robot", namespace: "default" },
  ]);
});

test("auth can-i sends a SelfSubjectAccessReview", async () => {
  const c = await capture(["auth", "can-i", "list", "pods"]);
  const obj = decodeProtobuf(schemas, c.body);
  assert.equal(obj.kind, "SelfSubjectAccessReview");
  assert.deepEqual((obj.spec as Record<string, any>).resourceAttributes, { namespace: "default", verb: "list", resource: "pods" });
});

test("token request carries a pointer expirationSeconds", async () => {
  const c = await capture(["create", "token", "default", "--duration=10m"]);
  assert.equal(c.path.split("?")[0], "/api/v1/namespaces/default/serviceaccounts/default/token");
  const obj = decodeProtobuf(schemas, c.body);
  assert.equal(obj.kind, "TokenRequest");
  assert.equal((obj.spec as Record<string, any>).expirationSeconds, 600);
});

test("bad frames are refused naming the problem", () => {
  assert.throws(() => decodeProtobuf(schemas, Buffer.from("{}")), /k8s\\0 prefix/);
  const frame = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.from([0x0a, 0x08, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x02, 0x4e, 0x6f])]);
  assert.throws(() => decodeProtobuf(schemas, frame), /no protobuf schema for v1 No/);
});

test("ingress rules: the inline IngressRuleValue travels as a nested message", async () => {
  const c = await capture(["create", "ingress", "web", "--class=traefik", "--rule=foo.com/bar*=svc1:8080", "--rule=bar.com/=svc2:http,tls=my-cert"]);
  const obj = decodeProtobuf(schemas, c.body);
  const spec = obj.spec as Record<string, any>;
  assert.equal(spec.ingressClassName, "traefik");
  assert.equal(spec.rules[0].host, "foo.com");
  assert.deepEqual(spec.rules[0].http.paths[0], { path: "/bar", pathType: "Prefix", backend: { service: { name: "svc1", port: { number: 8080 } } } });
  assert.deepEqual(spec.rules[1].http.paths[0].backend.service.port, { name: "http" });
  assert.deepEqual(spec.tls, [{ hosts: ["bar.com"], secretName: "my-cert" }]);
});

test("pdb, priority class and quota: IntOrString pointers, int32 values, quantity maps", async () => {
  const pdb = decodeProtobuf(schemas, (await capture(["create", "poddisruptionbudget", "pdb", "--selector=app=web", "--min-available=50%"])).body);
  assert.equal((pdb.spec as Record<string, any>).minAvailable, "50%");
  assert.deepEqual((pdb.spec as Record<string, any>).selector, { matchLabels: { app: "web" } });
  const pc = decodeProtobuf(schemas, (await capture(["create", "priorityclass", "high", "--value=1000", "--description=important", "--preemption-policy=Never"])).body);
  assert.equal(pc.value, 1000);
  assert.equal(pc.description, "important");
  assert.equal(pc.preemptionPolicy, "Never");
  assert.equal(pc.globalDefault, undefined, "false non-pointer booleans are omitted as Go's JSON would");
  const quota = decodeProtobuf(schemas, (await capture(["create", "quota", "q", "--hard=cpu=1,memory=1Gi,pods=10"])).body);
  assert.deepEqual((quota.spec as Record<string, any>).hard, { cpu: "1", memory: "1Gi", pods: "10" });
});

test("headless service and whoami", async () => {
  const svc = decodeProtobuf(schemas, (await capture(["create", "service", "clusterip", "db", "--clusterip=None"])).body);
  assert.equal((svc.spec as Record<string, any>).clusterIP, "None");
  assert.equal((svc.spec as Record<string, any>).type, "ClusterIP");
  const who = await capture(["auth", "whoami"]);
  assert.equal(who.path.split("?")[0], "/apis/authentication.k8s.io/v1/selfsubjectreviews");
  const obj = decodeProtobuf(schemas, who.body);
  assert.equal(obj.kind, "SelfSubjectReview");
  assert.equal(obj.apiVersion, "authentication.k8s.io/v1");
});
