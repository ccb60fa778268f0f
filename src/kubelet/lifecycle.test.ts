/**
 * Lifecycle hooks and termination against a real containerd: postStart
 * (exec, httpGet) runs after the start; a failing postStart kills the
 * container (FailedPostStartHook) and it is restarted; preStop (exec,
 * httpGet, sleep) runs before SIGTERM within the grace period; a container
 * that ignores SIGTERM is killed once terminationGracePeriodSeconds ends.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BUSYBOX_IMAGE } from "../agent/images/mod.ts";
import { R } from "../client/mod.ts";
import { eventsFor, startKubeletTestEnv, waitFor, waitForPod, waitForPodGone, type KubeletTestEnv } from "./testenv.ts";
import type { KPod } from "./types.ts";

let env: KubeletTestEnv;
let hooks: Server;
let hookPort = 0;
const hits: { path: string; at: number }[] = [];

before(async () => {
  env = await startKubeletTestEnv();
  hooks = createServer((req, res) => {
    hits.push({ path: req.url ?? "", at: Date.now() });
    res.statusCode = req.url === "/fail" ? 500 : 200;
    res.end("ok");
  });
  await new Promise<void>((r) => hooks.listen(0, "127.0.0.1", r));
  hookPort = (hooks.address() as AddressInfo).port;
});

after(async () => {
  hooks?.close();
  await env?.cleanup();
});

function pod(name: string, spec: Partial<KPod["spec"]> & Pick<KPod["spec"], "containers">): KPod {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { nodeName: env.nodeName, ...spec } };
}

const running = (p: KPod): boolean => p.status?.phase === "Running" && p.status.containerStatuses?.[0]?.state.running !== undefined;

test("postStart exec runs after the start; on delete preStop exec runs before SIGTERM reaches the container", async () => {
  const out = join(env.dir, "out-exec");
  mkdirSync(out);
  await env.client.create(
    R.pods,
    "default",
    pod("hooks-exec", {
      terminationGracePeriodSeconds: 10,
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", 'trap "echo term >> /out/log; exit 0" TERM; echo started >> /out/log; while true; do sleep 0.2; done'],
          volumeMounts: [{ name: "out", mountPath: "/out" }],
          lifecycle: {
            postStart: { exec: { command: ["sh", "-c", "echo poststart >> /out/log"] } },
            preStop: { exec: { command: ["sh", "-c", "echo prestop >> /out/log; sleep 1; echo prestop-done >> /out/log"] } },
          },
        },
      ],
      volumes: [{ name: "out", hostPath: { path: out, type: "Directory" } }],
    }),
  );
  await waitForPod(env, "hooks-exec", "running", running);
  await waitFor("postStart output", async () => (readFileSync(join(out, "log"), "utf8").includes("poststart") ? true : undefined));
  await env.client.delete(R.pods, "default", "hooks-exec");
  await waitForPodGone(env, "hooks-exec");
  const lines = readFileSync(join(out, "log"), "utf8").trim().split("\n");
  assert.deepEqual([...lines.slice(0, 2)].sort(), ["poststart", "started"]);
  assert.deepEqual(lines.slice(2), ["prestop", "prestop-done", "term"], "preStop completes before the container sees SIGTERM");
});

test("httpGet hooks reach their host; preStop sleep delays the stop; SIGTERM ignored → SIGKILL after the grace period", async () => {
  const out = join(env.dir, "out-http");
  mkdirSync(out);
  await env.client.create(
    R.pods,
    "default",
    pod("hooks-http", {
      terminationGracePeriodSeconds: 4,
      containers: [
        {
          name: "stubborn",
          image: BUSYBOX_IMAGE,
          // ignores SIGTERM: only SIGKILL ends it
          command: ["sh", "-c", 'trap "echo ignored-term >> /out/log" TERM; while true; do sleep 0.2; done'],
          volumeMounts: [{ name: "out", mountPath: "/out" }],
          lifecycle: {
            postStart: { httpGet: { host: "127.0.0.1", port: hookPort, path: "/poststart" } },
            preStop: { httpGet: { host: "127.0.0.1", port: hookPort, path: "/prestop" } },
          },
        },
        {
          name: "sleeper",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", 'trap "echo sleeper-term >> /out/sleeper; exit 0" TERM; while true; do sleep 0.2; done'],
          volumeMounts: [{ name: "out", mountPath: "/out" }],
          lifecycle: { preStop: { sleep: { seconds: 2 } } },
        },
      ],
      volumes: [{ name: "out", hostPath: { path: out, type: "DirectoryOrCreate" } }],
    }),
  );
  await waitForPod(env, "hooks-http", "running", (p) => p.status?.phase === "Running" && (p.status.containerStatuses ?? []).every((c) => c.state.running));
  await waitFor("postStart httpGet", async () => (hits.some((h) => h.path === "/poststart") ? true : undefined));
  const t0 = Date.now();
  await env.client.delete(R.pods, "default", "hooks-http");
  await waitForPodGone(env, "hooks-http");
  const elapsed = (Date.now() - t0) / 1000;
  const prestop = hits.find((h) => h.path === "/prestop");
  assert.ok(prestop, "preStop httpGet was sent");
  assert.ok(prestop.at - t0 < 2000, "preStop runs at the start of termination");
  assert.ok(elapsed >= 4, `the SIGTERM-ignoring container lives out its 4 s grace (took ${elapsed}s)`);
  assert.ok(elapsed < 12, `and is killed soon after (took ${elapsed}s)`);
  assert.match(readFileSync(join(out, "log"), "utf8"), /ignored-term/, "SIGTERM was delivered first");
  const sleeperTerm = readFileSync(join(out, "sleeper"), "utf8");
  assert.equal(sleeperTerm.trim(), "sleeper-term");
});

test("preStop sleep holds SIGTERM back for its seconds", async () => {
  const out = join(env.dir, "out-sleep");
  mkdirSync(out);
  await env.client.create(
    R.pods,
    "default",
    pod("hooks-sleep", {
      terminationGracePeriodSeconds: 20,
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", 'trap "date +%s > /out/term; exit 0" TERM; while true; do sleep 0.2; done'],
          volumeMounts: [{ name: "out", mountPath: "/out" }],
          lifecycle: { preStop: { sleep: { seconds: 3 } } },
        },
      ],
      volumes: [{ name: "out", hostPath: { path: out } }],
    }),
  );
  await waitForPod(env, "hooks-sleep", "running", running);
  const t0 = Date.now();
  await env.client.delete(R.pods, "default", "hooks-sleep");
  await waitForPodGone(env, "hooks-sleep");
  const termAt = Number(readFileSync(join(out, "term"), "utf8").trim()) * 1000;
  assert.ok(termAt - t0 >= 2000, `SIGTERM came ${termAt - t0} ms after the delete, not after the 3 s sleep`);
  assert.ok(Date.now() - t0 < 15_000, "the container exits on SIGTERM, well within its 20 s grace");
});

test("a failing postStart hook kills the container (FailedPostStartHook) and it is restarted", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("hooks-fail", {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", "exec sleep 3600"],
          lifecycle: { postStart: { exec: { command: ["sh", "-c", "echo no-good; exit 3"] } } },
        },
      ],
    }),
  );
  const restarted = await waitForPod(env, "hooks-fail", "restarted after the failed hook", (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
  const last = restarted.status?.containerStatuses?.[0]?.lastState.terminated;
  assert.ok(last, "the killed instance is the last terminated state");
  assert.notEqual(last.exitCode, 0);
  const ev = await waitFor("FailedPostStartHook event", async () => {
    const all = await eventsFor(env, "hooks-fail");
    return all.find((e) => e.reason === "FailedPostStartHook");
  });
  assert.equal(ev.type, "Warning");
  assert.match(ev.message, /no-good/);
  await env.client.delete(R.pods, "default", "hooks-fail", { gracePeriodSeconds: 0 });
  await waitForPodGone(env, "hooks-fail");
});

test("a failing httpGet postStart hook is reported with the status code", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("hooks-http-fail", {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: "main", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], lifecycle: { postStart: { httpGet: { host: "127.0.0.1", port: hookPort, path: "/fail" } } } }],
    }),
  );
  const ev = await waitFor("FailedPostStartHook event", async () => (await eventsFor(env, "hooks-http-fail")).find((e) => e.reason === "FailedPostStartHook"));
  assert.match(ev.message, /500/);
  await env.client.delete(R.pods, "default", "hooks-http-fail", { gracePeriodSeconds: 0 });
  await waitForPodGone(env, "hooks-http-fail");
});

test("a preStop hook longer than the grace period is cut short: the container is stopped once the grace is used up", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("hooks-long", {
      terminationGracePeriodSeconds: 3,
      containers: [{ name: "main", image: BUSYBOX_IMAGE, command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.2; done"], lifecycle: { preStop: { exec: { command: ["sleep", "60"] } } } }],
    }),
  );
  await waitForPod(env, "hooks-long", "running", running);
  const t0 = Date.now();
  await env.client.delete(R.pods, "default", "hooks-long");
  await waitForPodGone(env, "hooks-long");
  const took = (Date.now() - t0) / 1000;
  assert.ok(took >= 3, `the hook had its 3 s (took ${took}s)`);
  assert.ok(took < 10, `but not its 60 s: grace 3 s + 2 s minimum after the hook (took ${took}s)`);
});
