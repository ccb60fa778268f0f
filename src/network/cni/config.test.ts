import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CNI_CONFIG_FILE, cniConflist, removeCniConfig, writeCniConfig } from "./config.ts";

test("conflist: bridge cni0 with host-local on the pod CIDRs, portmap, loopback", () => {
  const c = cniConflist({ confDir: "/x", podCIDRs: ["10.42.0.0/24", "fd00:42::/64"] }) as {
    name: string;
    plugins: { type: string; bridge?: string; ipam?: { ranges: unknown; routes: unknown } }[];
  };
  assert.equal(c.name, "cbr0");
  assert.deepEqual(c.plugins.map((p) => p.type), ["bridge", "portmap", "loopback"]);
  assert.equal(c.plugins[0]!.bridge, "cni0");
  assert.deepEqual(c.plugins[0]!.ipam!.ranges, [[{ subnet: "10.42.0.0/24" }], [{ subnet: "fd00:42::/64" }]]);
  assert.deepEqual(c.plugins[0]!.ipam!.routes, [{ dst: "0.0.0.0/0" }, { dst: "::/0" }]);
  assert.throws(() => cniConflist({ confDir: "/x", podCIDRs: [] }), /at least one pod cidr/);
  assert.throws(() => cniConflist({ confDir: "/x", podCIDRs: ["10.42.0.0"] }), /invalid pod cidr "10\.42\.0\.0"/);
});

test("writeCniConfig writes once, rewrites on change, and removeCniConfig deletes it", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-cni-"));
  try {
    const file = writeCniConfig({ confDir: join(dir, "net.d"), podCIDRs: ["10.42.1.0/24"] });
    assert.equal(file, join(dir, "net.d", CNI_CONFIG_FILE));
    const ino = statSync(file).ino;
    writeCniConfig({ confDir: join(dir, "net.d"), podCIDRs: ["10.42.1.0/24"] });
    assert.equal(statSync(file).ino, ino, "unchanged config must not be rewritten (containerd reloads on writes)");
    writeCniConfig({ confDir: join(dir, "net.d"), podCIDRs: ["10.42.2.0/24"] });
    assert.match(readFileSync(file, "utf8"), /10\.42\.2\.0\/24/);
    removeCniConfig(join(dir, "net.d"));
    assert.throws(() => statSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
