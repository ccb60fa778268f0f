/**
 * The real kubectl against the controllers and scheduler, over HTTPS with
 * client certificates: apply, rollout status/history/undo/restart, scale,
 * describe's events. A loop plays the kubelets (marks bound pods Ready).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makePki } from "../apiserver/testenv.ts";
import { serveHttps } from "../apiserver/mod.ts";
import { createAuthenticator } from "../apiserver/auth/mod.ts";
import { R } from "../client/resources.ts";
import type { Pod } from "../client/types.ts";
import { startScheduler } from "../scheduler/mod.ts";
import { startControllerManager } from "./mod.ts";
import { addNode, markPodReady, startTestCluster } from "./testenv.ts";

const run = promisify(execFile);

test("kubectl rollout status, history, undo and restart work against the deployment controller", async () => {
  const c = await startTestCluster();
  const dir = mkdtempSync(join(tmpdir(), "controllers-kubectl-"));
  const pki = makePki(dir);
  const front = await serveHttps({ handler: c.api.handler, authenticator: createAuthenticator({ clientCA: pki.caCert }), key: pki.serverKey, cert: pki.serverCert, clientCA: pki.caCert, host: "127.0.0.1", port: 0 });
  const port = (front.server.address() as { port: number }).port;
  const b64 = (s: string): string => Buffer.from(s).toString("base64");
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster: {server: "https://127.0.0.1:${port}", certificate-authority-data: ${b64(pki.caCert)}}\nusers:\n- name: a\n  user: {client-certificate-data: ${b64(pki.adminCert)}, client-key-data: ${b64(pki.adminKey)}}\ncontexts:\n- name: t\n  context: {cluster: t, user: a}\ncurrent-context: t\n`,
  );
  // kubectl runs as a child process: the server in this process must stay responsive, so never block on it
  const kubectl = async (...args: string[]): Promise<string> => (await run("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), ...args], { encoding: "utf8", timeout: 60_000 })).stdout;
  await addNode(c.client, "n1");
  await addNode(c.client, "n2");
  const cm = await startControllerManager(c.client, { leaderElection: false, controllers: ["deployment", "replicaset", "garbagecollector"] });
  const sched = await startScheduler(c.client, { leaderElection: false });
  let busy = false;
  const kubelet = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const p of (await c.client.list<Pod>(R.pods, "default")).items) {
        if (p.spec.nodeName && !p.metadata.deletionTimestamp && !p.status?.conditions?.some((x) => x.type === "Ready")) await markPodReady(c.client, p).catch(() => undefined);
        if (p.metadata.deletionTimestamp) await c.client.delete(R.pods, "default", p.metadata.name ?? "", { gracePeriodSeconds: 0 }).catch(() => undefined);
      }
    } finally {
      busy = false;
    }
  }, 150);
  try {
    writeFileSync(
      join(dir, "web.yaml"),
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: nginx, image: 'nginx:1.27'}]}\n",
    );
    assert.match(await kubectl("apply", "-f", join(dir, "web.yaml")), /deployment.apps\/web created/);
    assert.match(await kubectl("rollout", "status", "deployment/web", "--timeout=30s"), /successfully rolled out/);
    await kubectl("set", "image", "deployment/web", "nginx=nginx:1.28");
    assert.match(await kubectl("rollout", "status", "deployment/web", "--timeout=30s"), /successfully rolled out/);
    assert.match(await kubectl("rollout", "history", "deployment/web"), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    assert.match(await kubectl("rollout", "undo", "deployment/web"), /rolled back/);
    assert.match(await kubectl("rollout", "status", "deployment/web", "--timeout=30s"), /successfully rolled out/);
    // the revision-1 ReplicaSet is reused and becomes revision 3
    assert.match(await kubectl("rollout", "history", "deployment/web"), /\n2\s+<none>\n3\s+<none>/);
    const rs = (await kubectl("get", "rs", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.spec.template.spec.containers[0].image}={.spec.replicas};{end}")).split(";").filter(Boolean).sort();
    assert.deepEqual(rs, ["nginx:1.27=2", "nginx:1.28=0"]);
    await kubectl("rollout", "restart", "deployment/web");
    assert.match(await kubectl("rollout", "status", "deployment/web", "--timeout=30s"), /successfully rolled out/);
    assert.match(await kubectl("rollout", "history", "deployment/web"), /\n4\s+<none>/);
    await kubectl("scale", "deployment/web", "--replicas=3");
    assert.match(await kubectl("rollout", "status", "deployment/web", "--timeout=30s"), /successfully rolled out/);
    assert.equal(await kubectl("get", "deploy", "web", "-o", "jsonpath={.status.availableReplicas}"), "3");
    const describe = await kubectl("describe", "deployment", "web");
    assert.match(describe, /ScalingReplicaSet\s+.*Scaled up replica set web-\w+ to 3 from 2/);
    assert.match(describe, /Available\s+True\s+MinimumReplicasAvailable/);
    const events = await kubectl("get", "events", "--field-selector", "reason=Scheduled", "-o", "jsonpath={.items[0].message}");
    assert.match(events, /^Successfully assigned default\/web-\w+-\w+ to n[12]$/);
  } finally {
    clearInterval(kubelet);
    await sched.stop();
    await cm.stop();
    await front.close();
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
