/**
 * Test support for the API server's tests: a throwaway PKI made with the
 * openssl CLI, small kinds (ConfigMap, Namespace, a Widget with spec/status/scale),
 * and a real HTTPS server over a real SQLite datastore. Not used at run time.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FieldError, KindDef, SchemaRegistry } from "../api/kind.ts";
import type { KubeObject } from "../api/types.ts";
import { createAuthenticator } from "./auth/mod.ts";
import { createBackend } from "../datastore/mod.ts";
import type { Backend } from "../datastore/backend.ts";
import { createApiServer, serveHttps, type ApiServer, type ApiServerOptions, type UpgradeHandler } from "./mod.ts";

export interface Pki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  userCert: string;
  userKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

/** A CA, a serving cert for 127.0.0.1 and client certs (admin in system:masters, "alice" in "devs"). */
export function makePki(dir: string): Pki {
  openssl(dir, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=test-ca"]);
  const leaf = (name: string, subj: string, ext: string): void => {
    openssl(dir, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj]);
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`]);
  };
  leaf("server", "/CN=kube-apiserver", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  leaf("admin", "/O=system:masters/CN=admin", "extendedKeyUsage=clientAuth\n");
  leaf("alice", "/O=devs/CN=alice", "extendedKeyUsage=clientAuth\n");
  const r = (f: string): string => readFileSync(join(dir, f), "utf8");
  return {
    dir,
    caCert: r("ca.crt"),
    serverCert: r("server.crt"),
    serverKey: r("server.key"),
    adminCert: r("admin.crt"),
    adminKey: r("admin.key"),
    userCert: r("alice.crt"),
    userKey: r("alice.key"),
  };
}

const META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/** Schemas of the test kinds. */
export const testSchemas: SchemaRegistry = {
  [META]: {
    type: "object",
    properties: {
      name: { type: "string" },
      generateName: { type: "string" },
      namespace: { type: "string" },
      uid: { type: "string" },
      resourceVersion: { type: "string" },
      generation: { type: "integer" },
      creationTimestamp: { type: "string" },
      deletionTimestamp: { type: "string" },
      deletionGracePeriodSeconds: { type: "integer" },
      labels: { type: "object", additionalProperties: { type: "string" } },
      annotations: { type: "object", additionalProperties: { type: "string" } },
      ownerReferences: { type: "array", items: { type: "object", additionalProperties: true } },
      finalizers: { type: "array", items: { type: "string" } },
      managedFields: { type: "array", items: { type: "object", preserveUnknownFields: true } },
    },
  },
  "io.k8s.api.core.v1.ConfigMap": {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { ref: META },
      data: { type: "object", additionalProperties: { type: "string" } },
      binaryData: { type: "object", additionalProperties: { type: "string" } },
      immutable: { type: "boolean" },
    },
  },
  "io.k8s.api.core.v1.Namespace": {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { ref: META },
      spec: { type: "object", properties: { finalizers: { type: "array", items: { type: "string" } } } },
      status: { type: "object", properties: { phase: { type: "string" } } },
    },
  },
  "io.k8s.api.test.v1.Widget": {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { ref: META },
      spec: { type: "object", properties: { replicas: { type: "integer" }, color: { type: "string" }, selector: { type: "object", additionalProperties: true } } },
      status: { type: "object", properties: { replicas: { type: "integer" }, phase: { type: "string" } } },
    },
  },
};

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** ConfigMap, Namespace and Widget (test.k3s.io/v1, namespaced, spec/status/scale, printer columns). */
export function testKinds(): KindDef[] {
  return [
    {
      group: "",
      version: "v1",
      kind: "ConfigMap",
      listKind: "ConfigMapList",
      resource: "configmaps",
      singular: "configmap",
      namespaced: true,
      shortNames: ["cm"],
      schemaRef: "io.k8s.api.core.v1.ConfigMap",
      validate(obj): FieldError[] {
        const errs: FieldError[] = [];
        for (const k of Object.keys((obj.data as Record<string, string> | undefined) ?? {})) {
          if (!CONFIG_KEY.test(k)) {
            errs.push({ type: "FieldValueInvalid", field: `data[${k}]`, message: `Invalid value: ${JSON.stringify(k)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')` });
          }
        }
        return errs;
      },
    },
    {
      group: "",
      version: "v1",
      kind: "Namespace",
      listKind: "NamespaceList",
      resource: "namespaces",
      singular: "namespace",
      namespaced: false,
      shortNames: ["ns"],
      schemaRef: "io.k8s.api.core.v1.Namespace",
      statusSubresource: true,
      extraSubresources: ["finalize"],
      defaults(obj) {
        obj.spec ??= { finalizers: ["kubernetes"] };
        obj.status ??= { phase: "Active" };
      },
      columns: [
        { name: "Name", type: "string", format: "name", description: "name", priority: 0 },
        { name: "Status", type: "string", description: "phase", priority: 0 },
        { name: "Age", type: "string", description: "age", priority: 0 },
      ],
      row: (o) => [o.metadata.name, (o.status as { phase?: string } | undefined)?.phase ?? "", o.metadata.creationTimestamp],
      selectableFields: (o) => ({ "status.phase": (o.status as { phase?: string } | undefined)?.phase ?? "" }),
    },
    {
      group: "test.k3s.io",
      version: "v1",
      kind: "Widget",
      listKind: "WidgetList",
      resource: "widgets",
      singular: "widget",
      namespaced: true,
      shortNames: ["wd"],
      categories: ["all"],
      schemaRef: "io.k8s.api.test.v1.Widget",
      statusSubresource: true,
      scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: ".spec.selector" },
      extraSubresources: ["log"],
      columns: [
        { name: "Name", type: "string", format: "name", description: "name", priority: 0 },
        { name: "Replicas", type: "integer", description: "replicas", priority: 0 },
        { name: "Color", type: "string", description: "color", priority: 1 },
      ],
      row: (o) => {
        const spec = (o.spec ?? {}) as { replicas?: number; color?: string };
        return [o.metadata.name, spec.replicas ?? 0, spec.color ?? ""];
      },
      selectableFields: (o) => ({ "spec.color": ((o.spec ?? {}) as { color?: string }).color ?? "" }),
    },
  ];
}

/** A parsed response body, loosely typed so tests can reach into it (test support only). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestJson = any;

export interface TestServer {
  url: string;
  port: number;
  pki: Pki;
  dir: string;
  kubeconfig: string;
  api: ApiServer;
  backend: Backend;
  /** the HTTPS listener (tests drop its connections to force reconnects) */
  server: Server;
  /** an HTTPS request as admin (or as `as`: "alice" / "anonymous") */
  request(method: string, path: string, opts?: { body?: unknown; headers?: Record<string, string>; as?: "alice" | "anonymous" }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; json(): TestJson }>;
  close(): Promise<void>;
}

/** Starts a datastore, the API server and its HTTPS front end in a temp dir, with namespace "default". */
export async function startTestServer(extra: Partial<ApiServerOptions> & { maxInFlight?: number; queueWaitMs?: number; maxQueued?: number; upgradeHandler?: UpgradeHandler } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "apiserver-test-"));
  const pki = makePki(dir);
  const backend = await createBackend({ dataDir: dir });
  const api = await createApiServer({
    backend,
    kinds: testKinds(),
    schemas: testSchemas,
    cluster: { serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" },
    version: { major: "1", minor: "32", gitVersion: "v1.32.4+k3s-ts", gitCommit: "0000000", gitTreeState: "clean", buildDate: "2026-01-01T00:00:00Z", goVersion: "go1.23", compiler: "gc", platform: "linux/amd64" },
    ...extra,
  });
  const front = await serveHttps({
    handler: api.handler,
    authenticator: createAuthenticator({ clientCA: pki.caCert }),
    authorizer: extra.authorizer,
    upgradeHandler: extra.upgradeHandler,
    key: pki.serverKey,
    cert: pki.serverCert,
    clientCA: pki.caCert,
    host: "127.0.0.1",
    port: 0,
    maxInFlight: extra.maxInFlight,
    queueWaitMs: extra.queueWaitMs,
    maxQueued: extra.maxQueued,
  });
  const addr = front.server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = join(dir, "kubeconfig");
  const b64 = (s: string): string => Buffer.from(s).toString("base64");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${url}
    certificate-authority-data: ${b64(pki.caCert)}
users:
- name: admin
  user:
    client-certificate-data: ${b64(pki.adminCert)}
    client-key-data: ${b64(pki.adminKey)}
contexts:
- name: test
  context: {cluster: test, user: admin}
current-context: test
`,
  );
  const request: TestServer["request"] = (method, path, opts = {}) =>
    new Promise((resolve, reject) => {
      const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : typeof opts.body === "string" ? Buffer.from(opts.body) : Buffer.from(JSON.stringify(opts.body));
      const cred = opts.as === "anonymous" ? {} : opts.as === "alice" ? { cert: pki.userCert, key: pki.userKey } : { cert: pki.adminCert, key: pki.adminKey };
      const req = httpsRequest(
        { host: "127.0.0.1", port, method, path, ca: pki.caCert, ...cred, headers: { "content-type": "application/json", ...(body ? { "content-length": String(body.length) } : {}), ...(opts.headers ?? {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const buf = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, json: () => JSON.parse(buf.toString()) });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  await request("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } } });
  return {
    url,
    port,
    pki,
    dir,
    kubeconfig,
    api,
    backend,
    server: front.server,
    request,
    async close() {
      await front.close();
      await api.close();
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs kubectl 1.32 against the test server (asynchronously: the server runs in this process). */
export function kubectl(ts: Pick<TestServer, "kubeconfig" | "dir">, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
      ["--kubeconfig", ts.kubeconfig, "--cache-dir", join(ts.dir, "kcache"), ...args],
      { timeout: 30_000, env: { ...process.env, HOME: ts.dir } },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/** Starts `kubectl` with these args and returns the child (for -w); the caller kills it by PID. */
export function spawnKubectl(ts: Pick<TestServer, "kubeconfig" | "dir">, args: string[]): ChildProcess {
  return spawn("/usr/lib/google-cloud-sdk/bin/kubectl.1.32", ["--kubeconfig", ts.kubeconfig, "--cache-dir", join(ts.dir, "kcache"), ...args], {
    env: { ...process.env, HOME: ts.dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A ConfigMap body. */
export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...(labels ? { labels } : {}) }, data };
}
