/**
 * fsGroup on persistent volumes against a real containerd: a claim bound to
 * a local PV is given to the pod's fsGroup (group owner, group rw, setgid
 * directories) so a non-root user of that group writes to it and new files
 * get the group; a hostPath PV stays as it was; fsGroupChangePolicy
 * OnRootMismatch skips the walk when the volume root already matches.
 */
import { strict as assert } from "node:assert";
import { chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BUSYBOX_IMAGE } from "../agent/images/mod.ts";
import { R } from "../client/mod.ts";
import { startKubeletTestEnv, waitFor, waitForPodGone, type KubeletTestEnv } from "./testenv.ts";
import type { KPod } from "./types.ts";
import { rootOwnershipMatches, setVolumeOwnership } from "./volumes/ownership.ts";

let env: KubeletTestEnv;

before(async () => {
  env = await startKubeletTestEnv();
});

after(async () => {
  await env?.cleanup();
});

/** A directory as a fresh PV finds it: root:root 0755 with a file and a subdirectory. */
function volumeDir(path: string): string {
  mkdirSync(join(path, "sub"), { recursive: true, mode: 0o755 });
  writeFileSync(join(path, "old"), "old\n", { mode: 0o644 });
  return path;
}

const gidMode = (p: string): string => {
  const st = statSync(p);
  return `${st.gid} ${(st.mode & 0o7777).toString(8)}`;
};

async function claim(name: string, pv: Record<string, unknown>): Promise<void> {
  const pvName = `${name}-${process.pid}`;
  const nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [env.nodeName] }] }] } };
  await env.client.create(R.persistentvolumes, undefined, {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: pvName },
    spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain", ...pv, ...(pv.local ? { nodeAffinity } : {}) },
  });
  await env.client.create(R.persistentvolumeclaims, "default", {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, volumeName: pvName },
  });
}

async function runToEnd(name: string, spec: { policy?: "Always" | "OnRootMismatch"; script: string; claims: string[] }): Promise<string> {
  const pod: KPod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: {
      nodeName: env.nodeName,
      terminationGracePeriodSeconds: 0,
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, ...(spec.policy ? { fsGroupChangePolicy: spec.policy } : {}) } as KPod["spec"]["securityContext"],
      containers: [{ name: "main", image: BUSYBOX_IMAGE, command: ["sh", "-c", `${spec.script}; echo end; sleep 3600`], volumeMounts: spec.claims.map((c) => ({ name: c, mountPath: `/${c}` })) }],
      volumes: spec.claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })),
    },
  };
  await env.client.create(R.pods, "default", pod);
  const log = await waitFor(`log of ${name}`, async () => {
    let out = "";
    for await (const chunk of env.kubelet.podLogStream({ namespace: "default", pod: name })) out += chunk.toString();
    return out.includes("end") ? out : undefined;
  }, 60_000);
  await env.client.delete(R.pods, "default", name, { gracePeriodSeconds: 0 });
  await waitForPodGone(env, name);
  return log;
}

test("a local PV is owned by the pod's fsGroup and writable by a non-root member; a hostPath PV is untouched", async () => {
  const local = volumeDir(join(env.dir, "fs-local"));
  const hp = volumeDir(join(env.dir, "fs-hostpath"));
  await claim("local", { local: { path: local } });
  await claim("hp", { hostPath: { path: hp } });
  const log = await runToEnd("fsgroup-pv", {
    claims: ["local", "hp"],
    script: "id -G; echo new > /local/new && stat -c 'new=%g' /local/new; echo x > /local/old && echo old-written; touch /hp/new 2>&1",
  });
  assert.match(log, /^1000 3000 2000$|^3000 2000$/m, "fsGroup is a supplementary group of the process");
  assert.match(log, /^new=2000$/m, "a new file in the volume gets the fsGroup (setgid root)");
  assert.match(log, /^old-written$/m, "an existing file became group-writable");
  assert.equal(gidMode(local), "2000 2775");
  assert.equal(gidMode(join(local, "sub")), "2000 2775");
  assert.equal(gidMode(join(local, "old")), "2000 664");
  assert.match(log, /touch: \/hp\/new: Permission denied/, "the hostPath PV keeps root's ownership");
  assert.equal(gidMode(hp), "0 755");
  assert.equal(gidMode(join(hp, "old")), "0 644");
});

test("OnRootMismatch skips the walk when the local PV's root already matches; Always walks again", async () => {
  const local = volumeDir(join(env.dir, "fs-policy"));
  await claim("policy", { local: { path: local } });
  setVolumeOwnership(local, { gid: 2000 });
  // a file handed back to root: only a walk would give it to the fsGroup again
  chownSync(join(local, "old"), 0, 0);
  await runToEnd("fsgroup-skip", { claims: ["policy"], policy: "OnRootMismatch", script: "true" });
  assert.equal(statSync(join(local, "old")).gid, 0, "OnRootMismatch left the tree alone");
  await runToEnd("fsgroup-always", { claims: ["policy"], policy: "Always", script: "true" });
  assert.equal(statSync(join(local, "old")).gid, 2000, "Always walked the tree");
});

test("root ownership check as upstream's: group, group permissions and the setgid bit of the root", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-own-"));
  try {
    volumeDir(dir);
    assert.equal(rootOwnershipMatches(dir, { gid: 2000 }), false);
    assert.equal(setVolumeOwnership(dir, { gid: 2000, policy: "OnRootMismatch" }), true, "a mismatching root is walked");
    assert.equal(rootOwnershipMatches(dir, { gid: 2000 }), true);
    assert.equal(setVolumeOwnership(dir, { gid: 2000, policy: "OnRootMismatch" }), false);
    assert.equal(setVolumeOwnership(dir, { gid: 2000 }), true, "Always walks");
    assert.equal(rootOwnershipMatches(dir, { gid: 2001 }), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
