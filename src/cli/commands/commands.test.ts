// Checks the subcommands through the real entry point: --version/--help,
// kubectl/ctr pass-through (arguments, environment, exit code), the built-in crictl's wiring,
// check-config on this host and on a host tree missing the CNI plugins, and
// `k3s token` create/list/delete against an HTTPS endpoint that checks the
// admin client certificate and stores the Secrets it is sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:https";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { ensureServerPKI } from "../../server/pki/mod.ts";
import { serverConfigForTest } from "../../server/pki/testing.ts";
import { ensureServerKubeconfigs } from "../../server/kubeconfig/mod.ts";
import { caHash } from "../../server/token/mod.ts";
import { checkConfigReport, runChecks } from "./check-config.ts";
import { ctrEnvironment } from "./runtime.ts";

const mainTs = join(import.meta.dirname, "..", "main.ts");

function k3s(args: string[], env: Record<string, string | undefined> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", mainTs, ...args], { encoding: "utf8", env: { ...process.env, K3S_CONFIG_FILE: "", ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like k3s() but without blocking the event loop, for tests that serve requests in-process. */
function k3sAsync(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", mainTs, ...args], { env: { ...process.env, K3S_CONFIG_FILE: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

test("--version, --help and help for subcommands", () => {
  const v = k3s(["--version"]);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^k3s version v1\.32\.\d+\+k3s-ts \([0-9a-f]{12}|unknown\)\nnode version v20\./);
  const root = k3s(["--help"]);
  assert.equal(root.status, 0);
  for (const cmd of ["server", "agent", "kubectl", "crictl", "ctr", "check-config", "token"]) assert.match(root.stdout, new RegExp(`\\n   ${cmd} `));
  const server = k3s(["server", "-h"]);
  assert.equal(server.status, 0);
  assert.match(server.stdout, /--https-listen-port value\s+\(listener\) HTTPS listen port \(default: 6443\)/);
  assert.match(server.stdout, /--token value, -t value .*\[\$K3S_TOKEN\]/);
  const agent = k3s(["agent", "--help"]);
  assert.match(agent.stdout, /--server value, -s value .*\[\$K3S_URL\]/);
  assert.doesNotMatch(agent.stdout, /--cluster-cidr/);
  assert.match(k3s(["token", "create", "--help"]).stdout, /--ttl value/);
  const bad = k3s(["frobnicate"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command "frobnicate"/);
});

test("k3s server with a token for another CA fails with one line and leaves nothing behind", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-cmd-"));
  try {
    const token = `K10${"c".repeat(64)}::server:secret`;
    const r = k3s(["server", "--data-dir", join(dir, "data"), "--disable-agent", "--write-kubeconfig", join(dir, "k.yaml"), "--token", token, "--cluster-init"]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /WARN\[\d{4}\] flag --cluster-init is accepted but not implemented/);
    const fatal = r.stderr.split("\n").filter((l) => /^FATA\[\d{4}\] /.test(l));
    assert.equal(fatal.length, 1, r.stderr);
    assert.match(fatal[0], /ca hash c{64}/);
    assert.equal(existsSync(join(dir, "data", "server", "tls", "server-ca.crt")), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("kubectl: arguments, KUBECONFIG and exit status pass through", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-cmd-"));
  try {
    const kc = join(dir, "kc.yaml");
    writeFileSync(kc, "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\ncontexts: [{name: my-context, context: {cluster: c, user: u}}]\ncurrent-context: my-context\nusers: [{name: u, user: {}}]\n");
    const view = k3s(["kubectl", "config", "view", "-o", "jsonpath={.current-context}"], { KUBECONFIG: kc });
    assert.equal(view.status, 0, view.stderr);
    assert.equal(view.stdout, "my-context");
    const viaFlag = k3s(["kubectl", "--kubeconfig", kc, "config", "current-context"], { KUBECONFIG: "" });
    assert.equal(viaFlag.stdout.trim(), "my-context");
    const failing = k3s(["kubectl", "no-such-subcommand"], { KUBECONFIG: kc });
    assert.equal(failing.status, 1);
    assert.match(failing.stderr, /unknown command "no-such-subcommand"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("ctr is pointed at k3s's containerd socket; without a crictl on PATH the built-in one answers", () => {
  assert.equal(ctrEnvironment({}).CONTAINERD_ADDRESS, "/run/k3s/containerd/containerd.sock");
  assert.equal(ctrEnvironment({}).CONTAINERD_NAMESPACE, "k8s.io");
  assert.equal(ctrEnvironment({ CONTAINERD_NAMESPACE: "default" }).CONTAINERD_NAMESPACE, "default");
  // a socket nobody serves: ctr must fail, name it, and its exit status must come back to us
  const socket = join(tmpdir(), `k3s-ts-no-containerd-${process.pid}.sock`);
  const ctr = k3s(["ctr", "--connect-timeout", "1s", "version"], { CONTAINERD_ADDRESS: socket });
  assert.equal(ctr.status, 1, ctr.stdout + ctr.stderr);
  assert.ok((ctr.stdout + ctr.stderr).includes(socket), ctr.stdout + ctr.stderr);
  const crictl = k3s(["crictl", "ps"], { PATH: "/usr/bin:/bin", CONTAINER_RUNTIME_ENDPOINT: `unix://${socket}` });
  assert.equal(crictl.status, 1);
  assert.match(crictl.stderr, /validate service connection: .*no such file or directory/);
});

test("check-config passes on this host and fails naming what a host tree lacks", () => {
  const real = checkConfigReport(runChecks());
  assert.match(real.text, /- containerd: ok/);
  assert.match(real.text, /- cni plugin bridge: ok/);
  assert.equal(real.exitCode, 0, real.text);
  const cli = k3s(["check-config"]);
  assert.equal(cli.status, 0);
  assert.match(cli.stdout, /STATUS: pass/);

  const root = mkdtempSync(join(tmpdir(), "k3s-check-"));
  try {
    mkdirSync(join(root, "sys/fs/cgroup"), { recursive: true });
    writeFileSync(join(root, "sys/fs/cgroup/cgroup.controllers"), "cpuset cpu io memory pids\n");
    mkdirSync(join(root, "proc"), { recursive: true });
    writeFileSync(join(root, "proc/filesystems"), "nodev\toverlay\n");
    mkdirSync(join(root, "usr/lib/cni"), { recursive: true });
    writeFileSync(join(root, "usr/lib/cni/loopback"), "");
    const report = checkConfigReport(runChecks({ root, path: process.env.PATH }));
    assert.equal(report.exitCode, 1);
    assert.match(report.text, /- cgroup hierarchy: ok - cgroups V2 mounted/);
    assert.match(report.text, /- cni plugin bridge: missing \(fail\)/);
    assert.match(report.text, /STATUS: 3 \(fail\): cni plugin bridge, cni plugin host-local, cni plugin portmap/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

interface StoredSecret {
  metadata: { name: string };
  type: string;
  data: Record<string, string>;
}

test("token create/list/delete go through the API with the admin client certificate", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-token-cmd-"));
  const config = serverConfigForTest(dir, { writeKubeconfig: join(dir, "k3s.yaml") });
  const pki = await ensureServerPKI(config);
  const secrets = new Map<string, StoredSecret>();
  const callers: string[] = [];
  const rotations: string[] = [];
  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d));
      req.on("end", () => resolve(body));
    });
  const base = "/api/v1/namespaces/kube-system/secrets";
  const server = createServer(
    // like the real API port: client certificates are optional at the TLS layer, required by the handler
    { cert: pki.servingKubeAPIServer.certPEM, key: pki.servingKubeAPIServer.keyPEM, ca: pki.clientCA.certPEM, requestCert: true, rejectUnauthorized: false },
    async (req, res) => {
      const socket = req.socket as TLSSocket;
      const who = socket.authorized ? String(socket.getPeerCertificate().subject.CN) : "anonymous";
      callers.push(`${who} ${req.method} ${req.url}`);
      res.setHeader("content-type", "application/json");
      if (who === "anonymous" && !req.url?.startsWith("/v1-k3s/")) {
        res.statusCode = 401;
        res.end(JSON.stringify({ kind: "Status", message: "Unauthorized" }));
      } else if (req.method === "POST" && req.url === base) {
        const obj = JSON.parse(await readBody(req)) as StoredSecret & { stringData: Record<string, string> };
        const data = Object.fromEntries(Object.entries(obj.stringData).map(([k, v]) => [k, Buffer.from(v).toString("base64")]));
        secrets.set(obj.metadata.name, { metadata: obj.metadata, type: obj.type, data });
        res.statusCode = 201;
        res.end(JSON.stringify(obj));
      } else if (req.method === "GET" && req.url === base) {
        res.end(JSON.stringify({ kind: "SecretList", items: [...secrets.values(), { metadata: { name: "other" }, type: "Opaque", data: {} }] }));
      } else if (req.method === "PUT" && req.url === "/v1-k3s/token") {
        const auth = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
        const body = JSON.parse(await readBody(req)) as { token?: string };
        rotations.push(`${auth} -> ${body.token}`);
        res.statusCode = auth === "server:old-secret" ? 200 : 401;
        res.end("{}");
      } else if (req.method === "DELETE" && req.url?.startsWith(`${base}/`)) {
        const name = req.url.slice(base.length + 1);
        res.statusCode = secrets.delete(name) ? 200 : 404;
        res.end(JSON.stringify({ kind: "Status", message: `secrets "${name}" not found` }));
      } else {
        res.statusCode = 404;
        res.end("{}");
      }
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const kubeconfigs = await ensureServerKubeconfigs({ ...config, httpsListenPort: port }, pki);
    const common = ["--kubeconfig", kubeconfigs.admin, "--data-dir", dir];
    const created = await k3sAsync(["token", "create", ...common, "--description", "for ci", "--ttl", "2h", "abcdef.0123456789abcdef"]);
    assert.equal(created.status, 0, created.stderr);
    assert.equal(created.stdout.trim(), `K10${caHash(pki.serverCA.certPEM)}::abcdef.0123456789abcdef`);
    const stored = secrets.get("bootstrap-token-abcdef");
    assert.ok(stored);
    assert.equal(stored.type, "bootstrap.kubernetes.io/token");
    const text = (k: string): string => Buffer.from(stored.data[k] ?? "", "base64").toString();
    assert.equal(text("token-secret"), "0123456789abcdef");
    assert.equal(text("usage-bootstrap-authentication"), "true");
    assert.equal(text("auth-extra-groups"), "system:bootstrappers:k3s:default-node-token");
    const ttl = Date.parse(text("expiration")) - Date.now();
    assert.ok(ttl > 7_000_000 && ttl <= 7_200_000, `expiration ${text("expiration")}`);

    const generated = await k3sAsync(["token", "create", ...common]);
    assert.match(generated.stdout.trim(), /^K10[0-9a-f]{64}::[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const listed = await k3sAsync(["token", "list", ...common]);
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout.trim().split("\n");
    assert.match(lines[0], /^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/);
    assert.equal(lines.length, 3, listed.stdout);
    assert.match(listed.stdout, /abcdef\.0123456789abcdef\s+(1h|2h)\s+\S+\s+authentication,signing\s+for ci\s+system:bootstrappers:k3s:default-node-token/);

    const deleted = await k3sAsync(["token", "delete", ...common, "abcdef"]);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.equal(deleted.stdout.trim(), 'bootstrap token "abcdef" deleted');
    assert.equal(secrets.has("bootstrap-token-abcdef"), false);
    const again = await k3sAsync(["token", "delete", ...common, "abcdef"]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /bootstrap token "abcdef" not found/);
    assert.ok(callers.filter((c) => !c.includes("/v1-k3s/")).every((c) => c.startsWith("system:admin ")), callers.join("\n"));

    const rotated = await k3sAsync(["token", "rotate", ...common, "--server", `https://127.0.0.1:${port}`, "--token", `K10${caHash(pki.serverCA.certPEM)}::server:old-secret`, "--new-token", "new-secret"]);
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.deepEqual(rotations, ["server:old-secret -> new-secret"]);
    const refused = await k3sAsync(["token", "rotate", ...common, "--server", `https://127.0.0.1:${port}`, "--token", "wrong", "--new-token", "x"]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /token rotation failed/);

    const gen = k3s(["token", "generate"]);
    assert.match(gen.stdout.trim(), /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const badTTL = k3s(["token", "create", ...common, "--ttl", "soon"]);
    assert.equal(badTTL.status, 2);
    assert.match(badTTL.stderr, /invalid duration "soon"/);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
});
