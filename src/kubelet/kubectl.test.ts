/**
 * kubectl 1.32 against the API server's HTTPS front end wired with this
 * folder's helpers (pods/log subresource, pods/exec|attach|portforward
 * upgrades to the in-process kubelet): logs, exec with exit code and stdin,
 * cp, and port-forward reach a busybox pod in a real containerd.
 */
import { strict as assert } from "node:assert";
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BUSYBOX_IMAGE } from "../agent/images/mod.ts";
import { clusterKinds } from "../api/kinds/cluster.ts";
import { coreKinds } from "../api/kinds/core.ts";
import { generatedDefinitions } from "../api/schemas/index.ts";
import { createAuthenticator } from "../apiserver/auth/mod.ts";
import { createApiServer, serveHttps, type ApiServer } from "../apiserver/mod.ts";
import { ApiError, inProcessClient, R, type Client } from "../client/mod.ts";
import { createBackend } from "../datastore/mod.ts";
import { removePodCgroups } from "./cgroups.ts";
import { startTestRuntime, type TestRuntime } from "./cri/fixture.ts";
import { startKubelet, type Kubelet } from "./kubelet.ts";
import { registerLocalKubelet } from "./local.ts";
import { podLogSubresource, podStreamUpgrade } from "./streaming/apiserver.ts";
import type { KPod } from "./types.ts";

let rt: TestRuntime;
let dir: string;
let api: ApiServer;
let backend: Awaited<ReturnType<typeof createBackend>>;
let front: Awaited<ReturnType<typeof serveHttps>>;
let client: Client;
let kubelet: Kubelet;
let unregister: () => void;
let kubeconfig: string;
const nodeName = `k3sts-kctl-${process.pid}`;

function openssl(args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

function kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      "/usr/lib/google-cloud-sdk/bin/kubectl.1.32",
      ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "kcache"), ...args],
      { timeout: 30_000, env: { ...process.env, HOME: dir } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  rt = await startTestRuntime({ withCni: true });
  dir = mkdtempSync(join(tmpdir(), "k3sts-kubectl-"));
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=test-ca"]);
  for (const [name, subj, ext] of [
    ["server", "/CN=kube-apiserver", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"],
    ["admin", "/O=system:masters/CN=admin", "extendedKeyUsage=clientAuth\n"],
  ] as const) {
    openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj]);
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "1", "-extfile", `${name}.ext`]);
  }
  const r = (f: string): string => readFileSync(join(dir, f), "utf8");
  backend = await createBackend({ dataDir: dir });
  api = await createApiServer({
    backend,
    kinds: [...coreKinds(), ...clusterKinds()],
    schemas: generatedDefinitions,
    cluster: { serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" },
    version: { major: "1", minor: "32", gitVersion: "v1.32.6+k3s-ts" },
  });
  client = inProcessClient(api.handler, { username: "system:admin", groups: ["system:masters"] });
  const access = { nodeAddress: async () => "127.0.0.1" };
  api.registerSubresource("pods", "log", podLogSubresource(access));
  front = await serveHttps({
    handler: api.handler,
    authenticator: createAuthenticator({ clientCA: r("ca.crt") }),
    key: r("server.key"),
    cert: r("server.crt"),
    clientCA: r("ca.crt"),
    host: "127.0.0.1",
    port: 0,
    upgradeHandler: (req, socket, head) => {
      if (!podStreamUpgrade(req, socket, head, { ...access, getPod: (ns, n) => client.get(R.pods, ns, n) })) socket.destroy();
    },
  });
  const addr = front.server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const b64 = (s: string): string => Buffer.from(s).toString("base64");
  kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: https://127.0.0.1:${port}\n    certificate-authority-data: ${b64(r("ca.crt"))}\nusers:\n- name: admin\n  user:\n    client-certificate-data: ${b64(r("admin.crt"))}\n    client-key-data: ${b64(r("admin.key"))}\ncontexts:\n- name: t\n  context: {cluster: t, user: admin}\ncurrent-context: t\n`,
  );
  for (const ns of ["default", "kube-node-lease"]) {
    await client.create(R.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }).catch((e: unknown) => {
      if (!(e instanceof ApiError && e.code === 409)) throw e;
    });
  }
  kubelet = await startKubelet({
    client,
    nodeName,
    nodeIPs: ["127.0.0.1"],
    criSocket: rt.containerd.socket,
    dataDir: dir,
    rootDir: join(dir, "kubelet"),
    podLogsDir: join(dir, "pod-logs"),
    clusterDNS: "10.43.0.10",
    clusterDomain: "cluster.local",
    cgroupRoot: `/k3sts-kctl-${process.pid}`,
    cni: false,
    log: () => {},
  });
  unregister = registerLocalKubelet(kubelet);
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "box", namespace: "default" },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 0,
      containers: [{ name: "web", image: BUSYBOX_IMAGE, command: ["sh", "-c", "mkdir -p /www && echo served-by-httpd > /www/index.html && echo started && exec httpd -f -p 8080 -h /www"] }],
    },
  } as KPod);
  await waitFor("pod running", async () => {
    const p = await client.get<KPod>(R.pods, "default", "box");
    return p.status?.containerStatuses?.[0]?.ready ? p : undefined;
  });
});

after(async () => {
  await client?.delete(R.pods, "default", "box", { gracePeriodSeconds: 0 }).catch(() => {});
  if (rt) await waitFor("pod removed", async () => ((await rt.cri.listPodSandbox()).length ? undefined : true), 30_000).catch(() => {});
  unregister?.();
  await kubelet?.stop();
  await front?.close();
  await api?.close();
  await backend?.close();
  await rt?.cleanup();
  removePodCgroups(`/k3sts-kctl-${process.pid}`);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("kubectl logs reads the container log through pods/log", async () => {
  const r = await waitFor("log", async () => {
    const x = await kubectl(["logs", "box"]);
    return x.stdout.includes("started") ? x : undefined;
  });
  assert.equal(r.stdout, "started\n");
});

test("kubectl exec returns output and the exit code; -i passes stdin through to EOF", async () => {
  const r = await kubectl(["exec", "box", "--", "sh", "-c", "echo hi; echo oops >&2; exit 3"]);
  assert.equal(r.stdout, "hi\n");
  assert.match(r.stderr, /oops/);
  assert.equal(r.code, 3);
  const i = await kubectl(["exec", "-i", "box", "--", "sh", "-c", "cat > /tmp/in; wc -c < /tmp/in"], "hello");
  assert.equal(i.code, 0, i.stderr);
  assert.equal(i.stdout.trim(), "5");
});

test("kubectl cp copies a file into the pod", async () => {
  const local = join(dir, "note.txt");
  writeFileSync(local, "copied by kubectl cp\n");
  const cp = await kubectl(["cp", local, "default/box:/tmp/note.txt"]);
  assert.equal(cp.code, 0, cp.stderr);
  const cat = await kubectl(["exec", "box", "--", "cat", "/tmp/note.txt"]);
  assert.equal(cat.stdout, "copied by kubectl cp\n");
});

test("kubectl port-forward reaches busybox httpd in the pod", async () => {
  const child = spawn("/usr/lib/google-cloud-sdk/bin/kubectl.1.32", ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "kcache"), "port-forward", "pod/box", ":8080"], { env: { ...process.env, HOME: dir } });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      child.once("exit", (code) => reject(new Error(`kubectl port-forward exited ${code}: ${out}`)));
    });
    const body = await new Promise<string>((resolve, reject) => {
      httpGet({ host: "127.0.0.1", port, path: "/" }, (res) => {
        let b = "";
        res.on("data", (c: Buffer) => (b += c.toString()));
        res.on("end", () => resolve(b));
      }).on("error", reject);
    });
    assert.equal(body, "served-by-httpd\n");
  } finally {
    if (child.pid && child.exitCode === null) process.kill(child.pid, "SIGTERM");
  }
});

// the first resize races the command, hence the sleep before stty
test("kubectl exec -it runs with a TTY (through script(1) for a terminal) and sees its size", async () => {
  const cmd = `/usr/lib/google-cloud-sdk/bin/kubectl.1.32 --kubeconfig ${kubeconfig} --cache-dir ${join(dir, "kcache")} exec -it box -- sh -c 'tty; sleep 1; stty size; exit 4'`;
  const r = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile("script", ["-qec", `stty cols 91 rows 27; ${cmd}`, "/dev/null"], { timeout: 30_000, env: { ...process.env, HOME: dir } }, (err, stdout) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, out: stdout }),
    );
  });
  assert.match(r.out, /\/dev\/pts\/\d+/);
  assert.match(r.out, /27 91/);
  assert.equal(r.code, 4);
});
