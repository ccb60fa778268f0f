import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { containerdConfigToml, expandTemplate, writeContainerdConfig } from "./config.ts";
import { startTestContainerd } from "./fixture.ts";
import { startContainerd } from "./supervise.ts";
import { startAgentRuntime } from "./runtime.ts";
import { freePort } from "./fixture.ts";
import { hostsToml, readRegistries, registryAuth, writeCertsDir } from "./registries.ts";

const base = {
  root: "/d/root",
  state: "/run/x",
  socket: "/run/x/c.sock",
  pauseImage: "docker.io/k3s-ts/pause:3.10",
  streamPort: 10010,
  certsDir: "/d/certs.d",
  cniBinDir: "/usr/lib/cni",
  cniConfDir: "/d/net.d",
};

test("config.toml carries the CRI settings this machine needs", () => {
  const t = containerdConfigToml({ ...base, registryAuth: { "reg.local:5000": { username: "u", password: "p" } } });
  for (const want of [
    "version = 2",
    "restrict_oom_score_adj = true",
    "disable_apparmor = true",
    "netns_mounts_under_state_dir = true",
    "SystemdCgroup = false",
    'Root = "/run/x/runc"',
    'stream_server_address = "127.0.0.1"',
    'stream_server_port = "10010"',
    'sandbox_image = "docker.io/k3s-ts/pause:3.10"',
    'config_path = "/d/certs.d"',
    'conf_dir = "/d/net.d"',
    '[plugins."io.containerd.grpc.v1.cri".registry.configs."reg.local:5000".auth]',
    'username = "u"',
  ]) {
    assert.ok(t.includes(want), `missing ${want}`);
  }
});

test("a config.toml.tmpl replaces the generated config, with base and values expanded", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-tmpl-"));
  try {
    const tmpl = join(dir, "config.toml.tmpl");
    writeFileSync(tmpl, '{{ template "base" . }}\n# pause {{ .NodeConfig.AgentConfig.PauseImage }} {{ .Unknown }}\n');
    const text = writeContainerdConfig(base, { configFile: join(dir, "config.toml"), templateFile: tmpl });
    assert.ok(text.startsWith("version = 2\n"));
    assert.ok(text.includes("# pause docker.io/k3s-ts/pause:3.10 {{ .Unknown }}"));
    assert.equal(readFileSync(join(dir, "config.toml"), "utf8"), text);
    assert.equal(expandTemplate("x", { config: base, base: "B" }), "x");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("registries.yaml becomes certs.d hosts.toml files and config auth", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-reg-"));
  try {
    const file = join(dir, "registries.yaml");
    writeFileSync(
      file,
      [
        "mirrors:",
        "  docker.io:",
        "    endpoint: ['http://127.0.0.1:5000', 'mirror.example:443']",
        "  '*':",
        "    endpoint: ['https://all.example']",
        "configs:",
        "  mirror.example:443:",
        "    auth: {username: me, password: secret}",
        "    tls: {ca_file: /ca.pem, cert_file: /c.pem, key_file: /k.pem}",
        "  insecure.example:",
        "    tls: {insecure_skip_verify: true}",
      ].join("\n"),
    );
    const regs = readRegistries(file);
    const certs = join(dir, "certs.d");
    const written = writeCertsDir(certs, regs);
    // every mirrored registry and every registry with TLS settings gets a hosts.toml; "*" is _default
    assert.deepEqual(written.map((p) => p.slice(certs.length + 1)), ["_default", "docker.io", "insecure.example", "mirror.example:443"]);
    const docker = readFileSync(join(certs, "docker.io", "hosts.toml"), "utf8");
    assert.ok(docker.startsWith('server = "https://registry-1.docker.io"'));
    assert.ok(docker.includes('[host."http://127.0.0.1:5000"]'));
    assert.ok(docker.includes('[host."https://mirror.example:443"]'));
    assert.ok(docker.includes('ca = "/ca.pem"'));
    assert.ok(docker.includes('client = [["/c.pem", "/k.pem"]]'));
    assert.ok(!readFileSync(join(certs, "_default", "hosts.toml"), "utf8").includes("server ="));
    assert.ok(hostsToml("insecure.example", regs).includes("skip_verify = true"));
    assert.deepEqual(registryAuth(regs), { "mirror.example:443": { username: "me", password: "secret" } });
    assert.deepEqual(readRegistries(join(dir, "absent.yaml")), { mirrors: {}, configs: {} });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("containerd starts on its own socket, is restarted when killed, and is reused when healthy", async () => {
  const c = await startTestContainerd({ pauseImage: "docker.io/k3s-ts/pause:3.10" });
  try {
    assert.ok(existsSync(c.socket));
    assert.ok(existsSync(join(c.dataDir, "agent", "etc", "containerd", "config.toml")));
    const out = execFileSync("ctr", ["-a", c.socket, "version"], { encoding: "utf8" });
    assert.match(out, /Server:\s+Version:\s+\S+/);
    const first = c.pid();
    assert.ok(first);
    process.kill(first, "SIGKILL");
    const deadline = Date.now() + 20_000;
    while (!(c.pid() && c.pid() !== first)) {
      assert.ok(Date.now() < deadline, "containerd was not restarted");
      await new Promise((r) => setTimeout(r, 100));
    }
    for (;;) {
      try {
        execFileSync("ctr", ["-a", c.socket, "version"], { stdio: "ignore" });
        break;
      } catch {
        assert.ok(Date.now() < deadline, "restarted containerd never answered");
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const log = readFileSync(join(c.dataDir, "agent", "containerd", "containerd.log"), "utf8");
    assert.match(log, /serving\.\.\./);
    const again = await startContainerd({
      dataDir: c.dataDir,
      pauseImage: "docker.io/k3s-ts/pause:3.10",
      socket: c.socket,
      streamPort: c.streamPort,
      privateRegistry: join(c.dir, "registries.yaml"),
      log: () => {},
    });
    // a k3s restarted on the same data dir adopts the containerd it started before
    assert.equal(again.pid(), c.pid(), "a healthy containerd of this data dir must be reused, not replaced");
    execFileSync("ctr", ["-a", c.socket, "version"], { stdio: "ignore" });
  } finally {
    await c.cleanup();
  }
  assert.ok(!existsSync(c.dir));
});

test("startAgentRuntime writes the system images, starts containerd and imports them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-agentrt-"));
  try {
    const rt = await startAgentRuntime({
      dataDir: join(dir, "data"),
      pauseImage: "docker.io/k3s-ts/pause:3.10",
      socket: join(dir, "run", "containerd.sock"),
      streamPort: await freePort(),
      privateRegistry: join(dir, "registries.yaml"),
      log: () => {},
    });
    try {
      assert.deepEqual(rt.imported.map((r) => r.file.replace(dir, "")), ["/data/agent/images/k3s-ts-system-images.tar"]);
      const images = execFileSync("ctr", ["-a", rt.socket, "-n", "k8s.io", "images", "ls", "-q"], { encoding: "utf8" });
      assert.match(images, /^docker\.io\/k3s-ts\/pause:3\.10$/m);
      assert.equal(rt.cniConfDir, join(dir, "data", "agent", "etc", "cni", "net.d"));
    } finally {
      await rt.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
