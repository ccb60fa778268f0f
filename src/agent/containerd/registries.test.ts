/**
 * registries.yaml rewrites on the containerd side: the kubelet pulls a
 * rewritten name from each endpoint of a mirror with rewrites directly, so
 * each such endpoint gets a hosts.toml that reaches it with its own scheme
 * and TLS; an endpoint that is itself a mirrored registry keeps its entry.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { hostsToml, readRegistries, registryAuth, writeCertsDir, type Registries } from "./registries.ts";

test("endpoints of mirrors with rewrites get their own hosts.toml with the endpoint's scheme and TLS", () => {
  const regs: Registries = {
    mirrors: {
      "docker.io": { endpoint: ["http://127.0.0.1:5000", "mirror.example:8443"], rewrite: { "^library/(.*)": "mirror/$1" } },
      "quay.io": { endpoint: ["https://plain.example"] },
      "mirror.example:8443": { endpoint: ["https://other.example"] },
    },
    configs: { "127.0.0.1:5000": { tls: { insecure_skip_verify: true } } },
  };
  const dir = mkdtempSync(join(tmpdir(), "k3sts-regrw-"));
  try {
    const certs = join(dir, "certs.d");
    const written = writeCertsDir(certs, regs).map((p) => p.slice(certs.length + 1));
    assert.deepEqual(written, ["127.0.0.1:5000", "docker.io", "mirror.example:8443", "quay.io"], "no file for plain.example: its mirror has no rewrites");
    const endpoint = readFileSync(join(certs, "127.0.0.1:5000", "hosts.toml"), "utf8");
    assert.ok(endpoint.startsWith('server = "http://127.0.0.1:5000"\n'), endpoint);
    assert.ok(endpoint.includes("skip_verify = true"));
    assert.equal(
      hostsToml("mirror.example:8443", regs),
      'server = "https://mirror.example:8443"\n\n[host."https://other.example"]\n  capabilities = ["pull", "resolve"]\n',
      "a mirrored registry keeps its own entry",
    );
    const docker = readFileSync(join(certs, "docker.io", "hosts.toml"), "utf8");
    assert.match(docker, /# rewrites \{"\^library\/\(\.\*\)":"mirror\/\$1"\} are applied by the kubelet/);
    assert.ok(docker.includes('[host."http://127.0.0.1:5000"]'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an empty configs entry (as in k3s's wildcard example) is no credentials and no TLS, not a crash", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-regnull-"));
  try {
    const file = join(dir, "registries.yaml");
    writeFileSync(file, 'mirrors:\n  "*":\n    endpoint: ["https://registry.example.com:5000"]\nconfigs:\n  "docker.io":\n  "*":\n    tls:\n      insecure_skip_verify: true\n');
    const regs = readRegistries(file);
    assert.deepEqual(registryAuth(regs), {});
    assert.deepEqual(writeCertsDir(join(dir, "certs.d"), regs).map((p) => p.slice(dir.length + 9)), ["_default"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
