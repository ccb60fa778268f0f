/**
 * hostPort through CRI port mappings and the CNI portmap plugin, against a
 * real containerd: a busybox httpd on containerPort 8080 answers on the
 * node's own address at its hostPort (checked with curl from the host), and
 * stops answering once the pod is gone.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { freePort } from "../agent/containerd/fixture.ts";
import { BUSYBOX_IMAGE } from "../agent/images/mod.ts";
import { R } from "../client/mod.ts";
import { startKubeletTestEnv, waitFor, waitForPod, waitForPodGone, type KubeletTestEnv } from "./testenv.ts";
import type { KPod } from "./types.ts";

let env: KubeletTestEnv;

before(async () => {
  env = await startKubeletTestEnv();
});

after(async () => {
  await env?.cleanup();
});

/** The host's address on its default route (what other machines reach it by). */
function primaryIP(): string {
  const out = execFileSync("ip", ["-4", "route", "get", "1.1.1.1"], { encoding: "utf8" });
  const m = / src (\S+)/.exec(out);
  assert.ok(m, `no source address in ${out}`);
  return m[1]!;
}

function curl(url: string): { ok: boolean; body: string } {
  const r = spawnSync("curl", ["-sS", "--max-time", "2", url], { encoding: "utf8" });
  return { ok: r.status === 0, body: r.stdout };
}

test("a hostPort answers on the node's address and goes away with the pod", async () => {
  const hostPort = await freePort();
  const pod: KPod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "hostport", namespace: "default" },
    spec: {
      nodeName: env.nodeName,
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: "web",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", "mkdir -p /www && echo hello-from-hostport > /www/index.html && exec httpd -f -p 8080 -h /www"],
          ports: [{ containerPort: 8080, hostPort, protocol: "TCP" }],
        },
      ],
    },
  };
  await env.client.create(R.pods, "default", pod);
  await waitForPod(env, "hostport", "running", (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  const url = `http://${primaryIP()}:${hostPort}/`;
  const res = await waitFor(`curl ${url}`, async () => {
    const r = curl(url);
    return r.ok ? r : undefined;
  });
  assert.equal(res.body, "hello-from-hostport\n");
  await env.client.delete(R.pods, "default", "hostport", { gracePeriodSeconds: 0 });
  await waitForPodGone(env, "hostport");
  await waitFor("hostPort closed", async () => (curl(url).ok ? undefined : true), 20_000);
});
