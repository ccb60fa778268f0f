/**
 * Probes against a real containerd: a gRPC readiness probe
 * (grpc.health.v1.Health/Check, against a health server this test runs)
 * follows SERVING / NOT_SERVING; a startup probe holds liveness and
 * readiness back until it passes, so a liveness probe that would fail before
 * start-up does not restart the container. Also the health messages' codec.
 */
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { BUSYBOX_IMAGE } from "../agent/images/mod.ts";
import { R } from "../client/mod.ts";
import { decodeHealthResponse, encodeHealthRequest } from "./grpcprobe.ts";
import { eventsFor, startKubeletTestEnv, waitFor, waitForPod, waitForPodGone, type KubeletTestEnv } from "./testenv.ts";
import type { KPod } from "./types.ts";

let env: KubeletTestEnv;
let health: Server;
let healthPort = 0;
/** service name → serving status number; "" is the server as a whole */
const statuses = new Map<string, number>([["", 1]]);
const asked: string[] = [];

before(async () => {
  env = await startKubeletTestEnv();
  health = new Server();
  health.addService(
    {
      Check: {
        path: "/grpc.health.v1.Health/Check",
        requestStream: false,
        responseStream: false,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b,
        responseDeserialize: (b: Buffer) => b,
      },
    },
    {
      Check(call: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>) {
        // the request is { string service = 1 }: skip tag and length
        const service = call.request.length ? call.request.subarray(2).toString() : "";
        asked.push(service);
        const st = statuses.get(service);
        if (st === undefined) return cb({ code: 5, details: "unknown service" });
        cb(null, Buffer.from([0x08, st]));
      },
    },
  );
  healthPort = await new Promise<number>((resolve, reject) => health.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
});

after(async () => {
  health?.forceShutdown();
  await env?.cleanup();
});

test("health message codec", () => {
  assert.deepEqual(encodeHealthRequest(""), Buffer.alloc(0));
  assert.deepEqual(encodeHealthRequest("svc"), Buffer.from([0x0a, 3, 0x73, 0x76, 0x63]));
  assert.equal(decodeHealthResponse(Buffer.from([0x08, 0x01])), 1);
  assert.equal(decodeHealthResponse(Buffer.from([0x12, 0x01, 0x00, 0x08, 0x02])), 2, "unknown fields are skipped");
  assert.equal(decodeHealthResponse(Buffer.alloc(0)), 0);
});

const ready = (p: KPod): boolean => p.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";

test("a gRPC readiness probe follows the health service: SERVING is ready, NOT_SERVING is not", async () => {
  statuses.set("app", 1);
  await env.client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "grpc", namespace: "default" },
    spec: {
      nodeName: env.nodeName,
      // host network: the probe goes to the node IP (127.0.0.1 here), where this test's health server listens
      hostNetwork: true,
      terminationGracePeriodSeconds: 0,
      containers: [{ name: "main", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], readinessProbe: { grpc: { port: healthPort, service: "app" }, periodSeconds: 1 } }],
    },
  } as KPod);
  await waitForPod(env, "grpc", "Ready", ready);
  assert.ok(asked.includes("app"), "the probe names its service");
  statuses.set("app", 2);
  await waitForPod(env, "grpc", "not Ready after NOT_SERVING", (p) => !ready(p) && p.status?.phase === "Running", 20_000);
  const ev = await waitFor("Unhealthy event", async () => (await eventsFor(env, "grpc")).find((e) => e.reason === "Unhealthy"));
  assert.equal(ev.message, 'Readiness probe failed: service unhealthy (responded with "NOT_SERVING")');
  statuses.set("app", 1);
  await waitForPod(env, "grpc", "Ready again", ready, 20_000);
  await env.client.delete(R.pods, "default", "grpc", { gracePeriodSeconds: 0 });
  await waitForPodGone(env, "grpc");
});

test("a startup probe gates liveness and readiness: not started/ready until it passes, and no liveness restart before", async () => {
  await env.client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "slow-start", namespace: "default" },
    spec: {
      nodeName: env.nodeName,
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", "sleep 5; touch /tmp/started; exec sleep 3600"],
          startupProbe: { exec: { command: ["test", "-f", "/tmp/started"] }, periodSeconds: 1, failureThreshold: 30 },
          // would fail (and restart the container) at once if it ran before start-up
          livenessProbe: { exec: { command: ["test", "-f", "/tmp/started"] }, periodSeconds: 1, failureThreshold: 1 },
          readinessProbe: { exec: { command: ["true"] }, periodSeconds: 1 },
        },
      ],
    },
  } as KPod);
  const early = await waitForPod(env, "slow-start", "running", (p) => p.status?.containerStatuses?.[0]?.state.running !== undefined);
  const cs = early.status!.containerStatuses![0]!;
  assert.equal(cs.started, false);
  assert.equal(cs.ready, false, "readiness waits for start-up");
  const later = await waitForPod(env, "slow-start", "started and Ready", (p) => p.status?.containerStatuses?.[0]?.started === true && ready(p), 30_000);
  assert.equal(later.status!.containerStatuses![0]!.restartCount, 0, "liveness did not run before start-up");
  await env.client.delete(R.pods, "default", "slow-start", { gracePeriodSeconds: 0 });
  await waitForPodGone(env, "slow-start");
});

test("a startup probe that keeps failing kills the container and it is restarted", async () => {
  await env.client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "never-starts", namespace: "default" },
    spec: {
      nodeName: env.nodeName,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: "main", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], startupProbe: { exec: { command: ["test", "-f", "/nope"] }, periodSeconds: 1, failureThreshold: 2 } }],
    },
  } as KPod);
  const p = await waitForPod(env, "never-starts", "restarted", (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30_000);
  assert.equal(p.status!.containerStatuses![0]!.started, false);
  const events = await waitFor("Killing event", async () => {
    const all = await eventsFor(env, "never-starts");
    return all.some((e) => e.reason === "Killing") ? all : undefined;
  });
  assert.ok(events.some((e) => e.reason === "Unhealthy" && e.message.startsWith("Startup probe failed")));
  assert.ok(events.some((e) => e.reason === "Killing" && e.message === "Container main failed startup probe, will be restarted"));
  await env.client.delete(R.pods, "default", "never-starts", { gracePeriodSeconds: 0 });
  await waitForPodGone(env, "never-starts");
});
