// Checks k3s's config file rules: config.yaml then config.yaml.d/*.yaml in
// name order, later files override, `key+:` appends, command-line flags win
// (lists keep config values first), and a file that does not parse exits 1
// naming file and line (through the real program entry).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HostFacts } from "./build.ts";
import { readConfigFiles } from "./configfile.ts";
import { CliError } from "./errors.ts";
import { loadServerConfig } from "./load.ts";

const host: HostFacts = { isRoot: true, home: "/root", hostname: "h", primaryIPv4: "192.0.2.1" };
const mainTs = join(import.meta.dirname, "main.ts");

function withDir(fn: (dir: string) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-config-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  "config.yaml then .d files in name order: later overrides, + appends, CLI wins",
  withDir((dir) => {
    const file = join(dir, "config.yaml");
    writeFileSync(
      file,
      ["write-kubeconfig-mode: \"0644\"", "token: from-main", "node-label:", "  - a=1", "disable: traefik", "https-listen-port: 7000", "debug: true", "tls-san: [one.example]"].join("\n"),
    );
    mkdirSync(`${file}.d`);
    writeFileSync(join(`${file}.d`, "20-b.yaml"), "token: from-20\nnode-label+:\n  - c=3\n");
    writeFileSync(join(`${file}.d`, "10-a.yaml"), "token: from-10\nnode-label+: [b=2]\ndisable: [servicelb, local-storage]\n");
    writeFileSync(join(`${file}.d`, "30-c.yml"), "tls-san: [two.example]\n");
    writeFileSync(join(`${file}.d`, "ignored.txt"), "token: never\n");

    const entries = readConfigFiles(file, { explicit: true });
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e.values]));
    assert.deepEqual(byKey["node-label"], ["a=1", "b=2", "c=3"]);
    assert.deepEqual(byKey.token, ["from-20"]);
    assert.deepEqual(byKey.disable, ["servicelb", "local-storage"], "a later file replaces a key without +");
    assert.deepEqual(byKey["tls-san"], ["two.example"]);
    assert.equal(entries.find((e) => e.key === "token")?.origins[0], `${file}.d/20-b.yaml:1`);

    const { config } = loadServerConfig(["--config", file, "--token", "from-cli", "--node-label", "d=4", "--https-listen-port", "7001"], { env: {}, host });
    assert.equal(config.token, "from-cli", "a command-line scalar overrides the config file");
    assert.equal(config.httpsListenPort, 7001);
    assert.deepEqual(config.agent.nodeLabels, ["a=1", "b=2", "c=3", "d=4"], "lists keep config values, then command-line values");
    assert.deepEqual(config.disable, ["servicelb", "local-storage"]);
    assert.equal(config.writeKubeconfigMode, 0o644);
    assert.equal(config.debug, true);
    const viaEnv = loadServerConfig([], { env: { K3S_CONFIG_FILE: file, K3S_TOKEN: "from-env" }, host });
    assert.equal(viaEnv.config.token, "from-20", "the config file beats K3S_TOKEN, as in k3s");
  }),
);

test(
  "values are read as written: octal modes, leading zeros, YAML 1.1 booleans",
  withDir((dir) => {
    const file = join(dir, "config.yaml");
    writeFileSync(file, "write-kubeconfig-mode: 0o640\ntoken: 00123\ndisable-agent: yes\ndisable-scheduler: off\ndebug:\nkube-apiserver-arg: [v=1.10]\n");
    const { config } = loadServerConfig(["-c", file], { env: {}, host });
    assert.equal(config.writeKubeconfigMode, 0o640);
    assert.equal(config.token, "00123");
    assert.equal(config.disableAgent, true);
    assert.equal(config.disableScheduler, false);
    assert.equal(config.debug, true, "a bare bool key turns the flag on, as --debug does");
    assert.deepEqual(config.kubeAPIServerArgs, ["v=1.10"]);
    writeFileSync(file, "write-kubeconfig-mode: 644\n");
    assert.equal(loadServerConfig(["-c", file], { env: {}, host }).config.writeKubeconfigMode, 0o644);
  }),
);

test(
  "unknown config keys warn instead of failing; a missing default config is fine, a missing explicit one is not",
  withDir((dir) => {
    const file = join(dir, "config.yaml");
    writeFileSync(file, "not-a-flag: 1\nserver: https://x:6443\n");
    const { warnings } = loadServerConfig(["-c", file], { env: {}, host });
    assert.ok(warnings.some((w) => /unknown flag not-a-flag in config file .*config\.yaml:1/.test(w)), warnings.join("\n"));
    assert.ok(warnings.some((w) => /--server is accepted but not implemented/.test(w)));
    assert.throws(() => loadServerConfig(["-c", join(dir, "absent.yaml")], { env: {}, host }), /config file .*absent\.yaml does not exist/);
    assert.deepEqual(readConfigFiles(join(dir, "absent.yaml"), { explicit: false }), []);
  }),
);

test(
  "bad YAML and bad shapes name the file and line",
  withDir((dir) => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "token: ok\ndisable:\n  - traefik\n  bad: [unclosed\n");
    assert.throws(
      () => readConfigFiles(bad, { explicit: true }),
      (err: unknown) => err instanceof CliError && err.exitCode === 1 && new RegExp(`config file ${bad}:4: `).test(err.message),
    );
    const nested = join(dir, "nested.yaml");
    writeFileSync(nested, "token: x\n\nnode-label:\n  key: value\n");
    assert.throws(() => readConfigFiles(nested, { explicit: true }), new RegExp(`${nested}:3: value of node-label must be a scalar or a list`));
    const list = join(dir, "list.yaml");
    writeFileSync(list, "- a\n- b\n");
    assert.throws(() => readConfigFiles(list, { explicit: true }), /list\.yaml:1: expected a mapping/);
  }),
);

test(
  "the program exits 1 naming file:line for bad YAML and 2 naming an unknown flag",
  withDir((dir) => {
    const bad = join(dir, "config.yaml");
    writeFileSync(bad, "token: a\ncluster-cidr: [oops\n");
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, ["--import", "tsx", mainTs, ...args], { encoding: "utf8", env: { ...process.env, K3S_CONFIG_FILE: "", ...env }, timeout: 60_000 });
    const yamlErr = run(["server", "--config", bad, "--data-dir", join(dir, "data")]);
    assert.equal(yamlErr.status, 1, yamlErr.stderr);
    assert.match(yamlErr.stderr, new RegExp(`config file ${bad}:2: `));
    assert.equal(yamlErr.stderr.trim().split("\n").length, 1, "one line");
    const viaEnv = run(["server"], { K3S_CONFIG_FILE: bad });
    assert.equal(viaEnv.status, 1);
    assert.match(viaEnv.stderr, /config\.yaml:2/);
    const unknown = run(["server", "--frobnicate", "--data-dir", join(dir, "data")]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--frobnicate/);
    const unknownAgent = run(["agent", "--cluster-cidr", "10.0.0.0/8"]);
    assert.equal(unknownAgent.status, 2);
    assert.match(unknownAgent.stderr, /--cluster-cidr/);
  }),
);
