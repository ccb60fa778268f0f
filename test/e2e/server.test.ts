/**
 * e2e: `k3s server` start-up, its files, authentication and RBAC as a k3s
 * user meets them through kubectl 1.32 (issue 2's "Shows").
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, lstatSync, readlinkSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { repoRoot, startServer, type RunningServer } from "./harness.ts";

describe("k3s server (--disable-agent)", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ args: ["--disable-agent"], keepDataDir: true });
  });
  after(async () => {
    await server?.stop();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it("answers readyz and version through the admin kubeconfig", () => {
    assert.equal(server.kubectl(["get", "--raw", "/readyz"]).stdout.trim(), "ok");
    const v = server.kubectl(["version", "-o", "json"]);
    assert.equal(v.status, 0, v.stderr);
    const sv = JSON.parse(v.stdout).serverVersion;
    assert.equal(sv.major, "1");
    assert.equal(sv.minor, "32");
    assert.match(sv.gitVersion, /^v1\.32\.\d+\+k3s-ts$/);
  });

  it("lays out the data dir as k3s does", () => {
    const token = readFileSync(join(server.dataDir, "server/token"), "utf8").trim();
    const ca = readFileSync(join(server.dataDir, "server/tls/server-ca.crt"));
    const hash = createHash("sha256").update(ca).digest("hex");
    assert.match(token, new RegExp(`^K10${hash}::server:[0-9a-f]+$`));
    assert.ok(lstatSync(join(server.dataDir, "server/node-token")).isSymbolicLink());
    assert.match(readlinkSync(join(server.dataDir, "server/node-token")), /token$/);
    assert.equal(statSync(join(server.dataDir, "server/token")).mode & 0o777, 0o600);
    assert.equal(statSync(server.kubeconfig).mode & 0o777, 0o600);
    assert.equal(statSync(join(server.dataDir, "server/tls/client-ca.key")).mode & 0o777, 0o600);
    const kc = readFileSync(server.kubeconfig, "utf8");
    assert.match(kc, new RegExp(`server: https://127\\.0\\.0\\.1:${server.port}`));
  });

  it("creates the system namespaces", () => {
    const r = server.kubectl(["get", "namespaces", "-o", "name"]);
    assert.equal(r.status, 0, r.stderr);
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) assert.match(r.stdout, new RegExp(`namespace/${ns}\\b`));
  });

  it("treats the admin as cluster-admin", () => {
    const r = server.kubectl(["auth", "can-i", "*", "*"]);
    assert.equal(r.stdout.trim(), "yes", r.stderr);
  });

  it("refuses a client certificate from another CA with 401", () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-e2e-ca-"));
    const sh = (cmd: string) => execFileSync("sh", ["-c", cmd], { cwd: dir });
    sh("openssl ecparam -name prime256v1 -genkey -noout -out ca.key && openssl req -x509 -new -key ca.key -subj /CN=rogue-ca -days 2 -out ca.crt");
    sh("openssl ecparam -name prime256v1 -genkey -noout -out u.key && openssl req -new -key u.key -subj '/CN=mallory/O=system:masters' -out u.csr");
    sh("openssl x509 -req -in u.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -out u.crt");
    const r = spawnSync("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", "--cert", join(dir, "u.crt"), "--key", join(dir, "u.key"), `https://127.0.0.1:${server.port}/api/v1/namespaces`], { encoding: "utf8" });
    assert.equal(r.stdout, "401");
    const anon = spawnSync("curl", ["-sk", `https://127.0.0.1:${server.port}/api/v1/namespaces`], { encoding: "utf8" });
    const status = JSON.parse(anon.stdout);
    assert.equal(status.kind, "Status");
    assert.equal(status.code, 401);
    const health = spawnSync("curl", ["-sk", `https://127.0.0.1:${server.port}/readyz`], { encoding: "utf8" });
    assert.equal(health.stdout, "ok");
  });

  it("lets a user bound to view list pods but not create them", () => {
    const bind = server.kubectl(["create", "rolebinding", "bob-view", "--clusterrole=view", "--user=bob", "-n", "default"]);
    assert.equal(bind.status, 0, bind.stderr);
    const list = server.kubectl(["--as", "bob", "get", "pods", "-n", "default"]);
    assert.equal(list.status, 0, list.stderr);
    const create = server.kubectl(["--as", "bob", "create", "configmap", "x", "-n", "default", "--from-literal=a=b"]);
    assert.notEqual(create.status, 0);
    assert.match(create.stderr, /forbidden: User "bob" cannot create resource "configmaps" in API group "" in the namespace "default"/);
    assert.equal(server.kubectl(["auth", "can-i", "list", "pods", "--as", "bob", "-n", "default"]).stdout.trim(), "yes");
    assert.equal(server.kubectl(["auth", "can-i", "create", "pods", "--as", "bob", "-n", "default"]).stdout.trim(), "no");
    const rules = server.kubectl(["auth", "can-i", "--list", "--as", "bob", "-n", "default"]);
    assert.equal(rules.status, 0, rules.stderr);
    assert.match(rules.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]/m);
  });

  it("issues service-account tokens that authenticate as the service account", () => {
    assert.equal(server.kubectl(["create", "serviceaccount", "robot", "-n", "default"]).status, 0);
    const token = server.kubectl(["create", "token", "robot", "-n", "default"]);
    assert.equal(token.status, 0, token.stderr);
    const who = spawnSync("kubectl", ["--kubeconfig", "/dev/null", "--server", `https://127.0.0.1:${server.port}`, "--insecure-skip-tls-verify", "--token", token.stdout.trim(), "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"], { encoding: "utf8" });
    assert.equal(who.stdout, "system:serviceaccount:default:robot", who.stderr);
  });

  it("rotates the server token: the old one is refused, the new one joins", () => {
    const old = readFileSync(join(server.dataDir, "server/token"), "utf8").trim();
    const r = spawnSync(join(repoRoot, "bin/k3s"), ["token", "rotate", "--data-dir", server.dataDir, "--kubeconfig", server.kubeconfig, "--server", `https://127.0.0.1:${server.port}`, "--new-token", "rotated-secret-42"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const now = readFileSync(join(server.dataDir, "server/token"), "utf8").trim();
    assert.equal(now, old.replace(/::server:.*$/, "::server:rotated-secret-42"));
    const config = (password: string) =>
      spawnSync("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", "-u", `node:${password}`, `https://127.0.0.1:${server.supervisorPort}/v1-k3s/config`], { encoding: "utf8" }).stdout;
    assert.equal(config("rotated-secret-42"), "200");
    assert.equal(config(old.split("::server:")[1]), "401");
  });

  it("keeps CA, token and kubeconfig across a restart", async () => {
    const before = {
      ca: readFileSync(join(server.dataDir, "server/tls/server-ca.crt"), "utf8"),
      token: readFileSync(join(server.dataDir, "server/token"), "utf8"),
      kubeconfig: readFileSync(server.kubeconfig, "utf8"),
    };
    const dataDir = server.dataDir;
    await server.stop();
    server = await startServer({ args: ["--disable-agent"], dataDir });
    assert.equal(readFileSync(join(dataDir, "server/tls/server-ca.crt"), "utf8"), before.ca);
    assert.equal(readFileSync(join(dataDir, "server/token"), "utf8"), before.token);
    assert.equal(readFileSync(server.kubeconfig, "utf8").replace(/:\d+\n/, "\n"), before.kubeconfig.replace(/:\d+\n/, "\n"));
    const r = server.kubectl(["get", "rolebinding", "bob-view", "-n", "default", "-o", "name"]);
    assert.equal(r.stdout.trim(), "rolebinding.rbac.authorization.k8s.io/bob-view", r.stderr);
  });
});

describe("k3s server bad input", () => {
  const k3s = join(repoRoot, "bin/k3s");
  it("exits 2 naming an unknown flag", () => {
    const r = spawnSync(k3s, ["server", "--no-such-flag"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no-such-flag/);
  });
  it("exits 1 with one line for a busy port, and the next start works", async () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-e2e-busy-"));
    const blocker = createServer().listen(0, "0.0.0.0");
    await new Promise((r) => blocker.once("listening", r));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const r = spawnSync(k3s, ["server", "--disable-agent", "--data-dir", join(dir, "data"), "--https-listen-port", String(port), "--write-kubeconfig", join(dir, "k.yaml")], { encoding: "utf8", timeout: 60_000 });
      assert.equal(r.status, 1);
      const fatal = r.stderr.split("\n").filter((l) => l.startsWith("FATA"));
      assert.equal(fatal.length, 1, r.stderr);
      assert.match(fatal[0], new RegExp(`address already in use .*:${port}`));
    } finally {
      blocker.close();
    }
    const next = await startServer({ args: ["--disable-agent"], dataDir: join(dir, "data") });
    await next.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  it("exits 1 naming a data dir that cannot be written", () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-e2e-ro-"));
    writeFileSync(join(dir, "file"), "");
    const r = spawnSync(k3s, ["server", "--disable-agent", "--data-dir", join(dir, "file", "data"), "--write-kubeconfig", join(dir, "k.yaml")], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`FATA.*data dir ${join(dir, "file", "data").replace(/\//g, "\\/")} cannot be written`));
    rmSync(dir, { recursive: true, force: true });
  });
  it("exits 1 naming a malformed eviction threshold in --kubelet-arg before writing anything", () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-e2e-evict-"));
    const r = spawnSync(k3s, ["server", "--data-dir", join(dir, "data"), "--write-kubeconfig", join(dir, "k.yaml"), "--kubelet-arg=eviction-hard=memory.available<lots"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /FATA.*eviction-hard.*"lots"/);
    assert.equal(existsSync(join(dir, "data")), false, "nothing written");
    rmSync(dir, { recursive: true, force: true });
  });
  it("exits 1 naming the file and line of a config file that does not parse", () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-e2e-cfg-"));
    const cfg = join(dir, "config.yaml");
    writeFileSync(cfg, "write-kubeconfig-mode: \"0644\"\ntls-san: [a, b\n");
    const r = spawnSync(k3s, ["server", "--config", cfg, "--data-dir", join(dir, "data")], { encoding: "utf8" });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${cfg.replace(/\//g, "\\/")}.*line \\d+|${cfg.replace(/\//g, "\\/")}:\\d+`));
  });
});
