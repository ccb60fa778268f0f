// Checks flag parsing with k3s's names, aliases, K3S_* variables and
// precedence (command line > config file > environment > default), and the
// ServerConfig / AgentConfig built from them.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HostFacts } from "./build.ts";
import { DEFAULT_PAUSE_IMAGE, defaultClusterDNS, parseMode } from "./build.ts";
import { PAUSE_IMAGE } from "../agent/images/mod.ts";
import { CliError } from "./errors.ts";
import { SERVER_FLAGS } from "./flags.ts";
import { loadAgentConfig, loadServerConfig } from "./load.ts";
import { parseFlags, reader } from "./parse.ts";

const host: HostFacts = { isRoot: true, home: "/root", hostname: "MyHost", primaryIPv4: "192.0.2.10" };
const env = (extra: Record<string, string> = {}): Record<string, string> => ({ K3S_CONFIG_FILE: "", ...extra });
const scratch = mkdtempSync(join(tmpdir(), "k3s-cli-parse-"));
const emptyConfig = join(scratch, "empty.yaml");
writeFileSync(emptyConfig, "");
after(() => rmSync(scratch, { recursive: true, force: true }));

function server(argv: string[], extraEnv: Record<string, string> = {}) {
  return loadServerConfig(["--config", emptyConfig, ...argv], { env: env(extraEnv), host });
}

test("k3s defaults when nothing is given", () => {
  // an explicit but missing --config is an error, so point at a file that exists and is empty
  const dir = mkdtempSync(join(tmpdir(), "k3s-cli-"));
  try {
    const empty = join(dir, "config.yaml");
    writeFileSync(empty, "");
    const { config, warnings } = loadServerConfig(["-c", empty], { env: env(), host });
    assert.deepEqual(warnings, []);
    assert.equal(config.dataDir, "/var/lib/rancher/k3s");
    assert.equal(config.httpsListenPort, 6443);
    assert.equal(config.supervisorPort, 9345);
    assert.equal(config.bindAddress, "0.0.0.0");
    assert.equal(config.clusterCIDR, "10.42.0.0/16");
    assert.equal(config.serviceCIDR, "10.43.0.0/16");
    assert.deepEqual(config.serviceNodePortRange, [30000, 32767]);
    assert.equal(config.clusterDNS, "10.43.0.10");
    assert.equal(config.clusterDomain, "cluster.local");
    assert.equal(config.writeKubeconfig, "/etc/rancher/k3s/k3s.yaml");
    assert.equal(config.writeKubeconfigMode, 0o600);
    assert.equal(config.defaultLocalStoragePath, "/var/lib/rancher/k3s/storage");
    assert.equal(config.token, undefined);
    assert.equal(config.disableAgent, false);
    assert.equal(config.agent.nodeName, "myhost");
    assert.deepEqual(config.agent.nodeIPs, ["192.0.2.10"]);
    assert.equal(config.agent.flannelBackend, "vxlan");
    assert.equal(config.agent.privateRegistry, "/etc/rancher/k3s/registries.yaml");
    assert.equal(config.agent.pauseImage, PAUSE_IMAGE, "the default sandbox image is the one the agent builds");
    assert.equal(DEFAULT_PAUSE_IMAGE, PAUSE_IMAGE);
    const nonRoot = loadServerConfig(["-c", empty], { env: env(), host: { ...host, isRoot: false, home: "/home/u" } });
    assert.equal(nonRoot.config.dataDir, "/home/u/.rancher/k3s");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("long names, aliases, = and space forms, bools, ints and lists", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-cli-"));
  try {
    const empty = join(dir, "c.yaml");
    writeFileSync(empty, "");
    const { config } = loadServerConfig(
      [
        "-c", empty,
        "-d", "/srv/k3s",
        "--https-listen-port=7443",
        "-t", "sekret",
        "--tls-san", "a.example.com,b.example.com",
        "--tls-san=10.1.1.1",
        "--disable", "traefik,servicelb",
        "--disable=metrics-server",
        "--node-label", "a=b,c",
        "--kube-apiserver-arg", "feature-gates=A=true,B=false",
        "--disable-agent",
        "--disable-scheduler=true",
        "--debug=false",
        "-i", "10.0.0.5",
        "--node-name", "Worker-1",
        "--service-cidr", "10.96.0.0/12",
        "--write-kubeconfig-mode", "644",
        "-o", "/tmp/out.yaml",
        "--datastore-endpoint", "postgres://u:p@localhost/k3s",
        "--etcd-listen-address", "127.0.0.1:2379",
        "--datastore-cafile", "/etc/etcd/ca.crt",
        "--datastore-certfile", "/etc/etcd/client.crt",
        "--datastore-keyfile", "/etc/etcd/client.key",
        "--service-node-port-range", "31000-31999",
      ],
      { env: env(), host },
    );
    assert.equal(config.dataDir, "/srv/k3s");
    assert.equal(config.httpsListenPort, 7443);
    assert.equal(config.token, "sekret");
    assert.deepEqual(config.tlsSANs, ["a.example.com", "b.example.com", "10.1.1.1"]);
    assert.deepEqual(config.disable, ["traefik", "servicelb", "metrics-server"]);
    assert.deepEqual(config.agent.nodeLabels, ["a=b,c"], "node labels are not comma-split");
    assert.deepEqual(config.kubeAPIServerArgs, ["feature-gates=A=true,B=false"]);
    assert.equal(config.disableAgent, true);
    assert.equal(config.disableScheduler, true);
    assert.equal(config.debug, false);
    assert.deepEqual(config.agent.nodeIPs, ["10.0.0.5"]);
    assert.equal(config.agent.nodeName, "worker-1");
    assert.equal(config.clusterDNS, "10.96.0.10", "cluster dns follows the service cidr");
    assert.equal(config.writeKubeconfigMode, 0o644);
    assert.equal(config.writeKubeconfig, "/tmp/out.yaml");
    assert.equal(config.datastoreEndpoint, "postgres://u:p@localhost/k3s");
    assert.equal(config.etcdListenAddress, "127.0.0.1:2379");
    assert.deepEqual([config.datastoreCAFile, config.datastoreCertFile, config.datastoreKeyFile], ["/etc/etcd/ca.crt", "/etc/etcd/client.crt", "/etc/etcd/client.key"]);
    assert.deepEqual(config.serviceNodePortRange, [31000, 31999]);
    assert.equal(config.defaultLocalStoragePath, "/srv/k3s/storage");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("unknown flags, missing values and bad values are usage errors (exit 2) naming them", () => {
  const expectUsage = (argv: string[], re: RegExp): void => {
    assert.throws(
      () => parseFlags(argv, SERVER_FLAGS, { env: {} }),
      (err: unknown) => err instanceof CliError && err.exitCode === 2 && re.test(err.message),
    );
  };
  expectUsage(["--no-such-flag"], /--no-such-flag/);
  expectUsage(["-z"], /-z/);
  expectUsage(["--token"], /flag needs an argument: --token/);
  expectUsage(["--https-listen-port", "abc"], /"abc".*https-listen-port.*not an integer/);
  expectUsage(["--debug=maybe"], /invalid boolean value "maybe"/);
  assert.throws(() => server(["--write-kubeconfig-mode", "rw-r--r--"]), /invalid file mode "rw-r--r--"/);
  assert.throws(() => server(["--service-node-port-range", "5-1"]), /invalid --service-node-port-range "5-1"/);
  assert.throws(() => server(["extra-arg"]), (err: unknown) => err instanceof CliError && err.exitCode === 2 && /extra-arg/.test(err.message));
});

test("K3S_* variables apply when neither the command line nor a config file sets the flag", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-cli-"));
  try {
    const tokenFile = join(dir, "tok");
    writeFileSync(tokenFile, "from-file\n");
    const empty = join(dir, "c.yaml");
    writeFileSync(empty, "");
    const e = env({
      K3S_TOKEN: "from-env",
      K3S_DATASTORE_ENDPOINT: "mysql://root@tcp(127.0.0.1:3306)/k3s",
      K3S_KUBECONFIG_MODE: "0640",
      K3S_KUBECONFIG_OUTPUT: "/tmp/env.yaml",
      K3S_NODE_NAME: "EnvNode",
      K3S_DATA_DIR: "/env/data",
      K3S_AGENT_TOKEN_FILE: tokenFile,
    });
    const { config } = loadServerConfig(["-c", empty], { env: e, host });
    assert.equal(config.token, "from-env");
    assert.equal(config.datastoreEndpoint, "mysql://root@tcp(127.0.0.1:3306)/k3s");
    assert.equal(config.writeKubeconfigMode, 0o640);
    assert.equal(config.writeKubeconfig, "/tmp/env.yaml");
    assert.equal(config.agent.nodeName, "envnode");
    assert.equal(config.dataDir, "/env/data");
    assert.equal(config.agentToken, "from-file");
    const cli = loadServerConfig(["-c", empty, "--token", "from-cli", "--data-dir", "/cli"], { env: e, host });
    assert.equal(cli.config.token, "from-cli");
    assert.equal(cli.config.dataDir, "/cli");

    const agent = loadAgentConfig(["-c", empty], { env: env({ K3S_URL: "https://10.0.0.1:6443", K3S_TOKEN_FILE: tokenFile }), host });
    assert.equal(agent.config.serverURL, "https://10.0.0.1:6443");
    assert.equal(agent.config.token, "from-file");
    assert.throws(() => loadAgentConfig(["-c", empty], { env: env({ K3S_TOKEN: "x" }), host }), /--server is required/);
    assert.throws(() => loadAgentConfig(["-c", empty, "-s", "https://a:6443"], { env: env(), host }), /--token or --token-file is required/);
    assert.throws(() => loadAgentConfig(["-c", empty, "--disable-agent"], { env: env(), host }), /flag provided but not defined: --disable-agent/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("flags k3s has but k3s-ts does not implement warn by name; defaults do not", () => {
  const parsed = parseFlags(["--cluster-init", "--flannel-iface", "eth1", "--egress-selector-mode", "pod"], SERVER_FLAGS, { env: { K3S_SELINUX: "true" } });
  assert.deepEqual(parsed.warnings.sort(), [
    "flag --cluster-init is accepted but not implemented in k3s-ts yet; it has no effect",
    "flag --egress-selector-mode is accepted but not implemented in k3s-ts yet; it has no effect",
    "flag --flannel-iface is accepted but not implemented in k3s-ts yet; it has no effect",
    "flag --selinux is accepted but not implemented in k3s-ts yet; it has no effect",
  ]);
  assert.deepEqual(parseFlags([], SERVER_FLAGS, { env: {} }).warnings, []);
  assert.equal(reader(parsed).str("flannel-iface"), "eth1");
});

test("--disable with a name k3s does not know warns, naming it", () => {
  const { config, warnings } = server(["--disable", "traefik,trafik"]);
  assert.deepEqual(config.disable, ["traefik", "trafik"]);
  assert.deepEqual(warnings, ["--disable trafik names no packaged component (known: coredns, servicelb, traefik, local-storage, metrics-server, runtimes)"]);
});

test("--with-node-id appends a stable id kept in the data dir", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-cli-"));
  try {
    const empty = join(dir, "c.yaml");
    writeFileSync(empty, "");
    const first = loadServerConfig(["-c", empty, "-d", dir, "--with-node-id"], { env: env(), host }).config.agent.nodeName;
    assert.match(first, /^myhost-[0-9a-f]{8}$/);
    assert.equal(loadServerConfig(["-c", empty, "-d", dir, "--with-node-id"], { env: env(), host }).config.agent.nodeName, first);
    assert.equal(readFileSync(join(dir, "agent", "node-id"), "utf8").trim(), first.slice("myhost-".length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("helpers: octal modes and the cluster DNS address", () => {
  assert.equal(parseMode("600"), 0o600);
  assert.equal(parseMode("0644"), 0o644);
  assert.equal(parseMode("0o755"), 0o755);
  assert.equal(defaultClusterDNS("10.43.0.0/16"), "10.43.0.10");
  assert.equal(defaultClusterDNS("fd00:43::/112,10.43.0.0/16"), "fd00:43::a");
  assert.throws(() => defaultClusterDNS("banana"), /invalid --service-cidr "banana"/);
});
