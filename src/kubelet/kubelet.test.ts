/**
 * The kubelet end to end against a real API server core (SQLite datastore,
 * in-process client) and a real containerd: the Node registers and turns
 * Ready once it has a pod CIDR, its Lease is renewed, a Pod runs with env,
 * volumes and a readiness probe, its log is readable, a crashing container
 * is restarted with back-off, and deletion stops the pod and removes the
 * object.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { appsKinds } from "../api/kinds/apps.ts";
import { clusterKinds } from "../api/kinds/cluster.ts";
import { coreKinds } from "../api/kinds/core.ts";
import { generatedDefinitions } from "../api/schemas/index.ts";
import { BUSYBOX_IMAGE } from "../agent/images/mod.ts";
import { createApiServer, type ApiServer } from "../apiserver/mod.ts";
import { ApiError, inProcessClient, R, type Client, type Node } from "../client/mod.ts";
import { createBackend } from "../datastore/mod.ts";
import { startTestRuntime, type TestRuntime } from "./cri/fixture.ts";
import { removePodCgroups } from "./cgroups.ts";
import { startKubelet, type Kubelet } from "./kubelet.ts";
import { registerLocalKubelet } from "./local.ts";
import { startKubeletServer } from "./server.ts";
import { podLogSubresource, podStreamUpgrade } from "./streaming/apiserver.ts";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import type { KPod } from "./types.ts";
import { waitFor } from "./testenv.ts";

let rt: TestRuntime;
let dir: string;
let api: ApiServer;
let backend: Awaited<ReturnType<typeof createBackend>>;
let client: Client;
let kubelet: Kubelet;
const nodeName = `k3sts-node-${process.pid}`;

function kubeletOptions(): Parameters<typeof startKubelet>[0] {
  return {
    client,
    nodeName,
    nodeIPs: ["127.0.0.1"],
    labels: { "node-role.kubernetes.io/control-plane": "true" },
    taints: [],
    criSocket: rt.containerd.socket,
    dataDir: dir,
    rootDir: join(dir, "kubelet"),
    podLogsDir: join(dir, "pods-logs"),
    clusterDNS: "10.43.0.10",
    clusterDomain: "cluster.local",
    cgroupRoot: `/k3sts-test-${process.pid}`,
    cni: { confDir: rt.containerd.cniConfDir, bridge: rt.bridge, ipamDataDir: join(dir, "ipam") },
    statusIntervalSeconds: 1,
    resyncSeconds: 1,
    log: () => {},
  };
}

before(async () => {
  rt = await startTestRuntime({ withCni: false });
  dir = mkdtempSync(join(tmpdir(), "k3sts-kubelet-"));
  backend = await createBackend({ dataDir: dir });
  api = await createApiServer({
    backend,
    kinds: [...coreKinds(), ...appsKinds(), ...clusterKinds()],
    schemas: generatedDefinitions,
    cluster: { serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" },
    version: { major: "1", minor: "32", gitVersion: "v1.32.6+k3s-ts" },
  });
  client = inProcessClient(api.handler, { username: "system:admin", groups: ["system:masters"] });
  for (const ns of ["default", "kube-node-lease"]) {
    await client.create(R.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }).catch((e: unknown) => {
      if (!(e instanceof ApiError && e.code === 409)) throw e;
    });
  }
  kubelet = await startKubelet(kubeletOptions());
});

after(async () => {
  await kubelet?.stop();
  await api?.close();
  await backend?.close();
  await rt?.cleanup();
  removePodCgroups(`/k3sts-test-${process.pid}`);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the node registers with capacity, nodeInfo and labels, renews its lease, and is Ready once it has a pod CIDR", async () => {
  const node = await client.get<Node>(R.nodes, undefined, nodeName);
  assert.equal(node.metadata.labels?.["kubernetes.io/hostname"], nodeName);
  assert.equal(node.metadata.labels?.["node-role.kubernetes.io/control-plane"], "true");
  const info = node.status?.nodeInfo as { containerRuntimeVersion: string; kubeletVersion: string };
  assert.match(info.containerRuntimeVersion, /^containerd:\/\/\d/);
  assert.match(info.kubeletVersion, /^v1\.32\./);
  assert.ok(Number(node.status?.capacity?.cpu) >= 1);
  assert.deepEqual(node.status?.addresses?.[0], { type: "InternalIP", address: "127.0.0.1" });
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  assert.equal(ready?.status, "False", "no pod CIDR yet, so no network");

  await client.patch(R.nodes, undefined, nodeName, "merge", { spec: { podCIDR: rt.podCIDR, podCIDRs: [rt.podCIDR] } });
  await waitFor("node Ready", async () => {
    const n = await client.get<Node>(R.nodes, undefined, nodeName);
    return n.status?.conditions?.find((c) => c.type === "Ready")?.status === "True" ? n : undefined;
  });
  const types = (await client.get<Node>(R.nodes, undefined, nodeName)).status?.conditions?.map((c) => c.type).sort();
  assert.deepEqual(types, ["DiskPressure", "MemoryPressure", "PIDPressure", "Ready"]);
  const lease1 = await client.get(R.leases, "kube-node-lease", nodeName);
  const t1 = (lease1.spec as { renewTime: string }).renewTime;
  await waitFor("lease renewal", async () => {
    const l = await client.get(R.leases, "kube-node-lease", nodeName);
    return (l.spec as { renewTime: string }).renewTime !== t1 ? l : undefined;
  });
});

test("a pod runs with env, volumes and a readiness probe; its log is readable; delete stops it and removes the object", async () => {
  await client.create(R.configmaps, "default", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web-config" }, data: { greeting: "hello", "file.txt": "from-configmap" } });
  const pod: KPod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "default", labels: { app: "web" } },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 2,
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", 'echo "$GREETING from $(POD_NAME) on $MY_NODE"; cat /cfg/file.txt; echo; echo ready > /data/ok; exec sleep 3600'],
          env: [
            { name: "GREETING", valueFrom: { configMapKeyRef: { name: "web-config", key: "greeting" } } },
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "MY_NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          ],
          volumeMounts: [
            { name: "cfg", mountPath: "/cfg" },
            { name: "data", mountPath: "/data" },
          ],
          readinessProbe: { exec: { command: ["cat", "/data/ok"] }, periodSeconds: 1 },
        },
      ],
      volumes: [
        { name: "cfg", configMap: { name: "web-config" } },
        { name: "data", emptyDir: {} },
      ],
    },
  };
  await client.create(R.pods, "default", pod);
  const running = await waitFor("pod Running and Ready", async () => {
    const p = await client.get<KPod>(R.pods, "default", "web");
    const ready = p.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
    return p.status?.phase === "Running" && ready ? p : undefined;
  }, 60_000);
  const prefix = rt.podCIDR.split(".").slice(0, 3).join(".") + ".";
  assert.ok(running.status?.podIP?.startsWith(prefix), `podIP ${running.status?.podIP} not in ${rt.podCIDR}`);
  assert.equal(running.status?.hostIP, "127.0.0.1");
  assert.ok(running.status?.startTime);
  const cs = running.status?.containerStatuses?.[0];
  assert.equal(cs?.name, "main");
  assert.equal(cs?.ready, true);
  assert.equal(cs?.restartCount, 0);
  assert.match(cs?.containerID ?? "", /^containerd:\/\//);
  assert.ok(cs?.state.running?.startedAt);

  const text = await waitFor("log lines", async () => {
    let out = "";
    for await (const chunk of kubelet.podLogStream({ namespace: "default", pod: "web", container: "main" })) out += chunk.toString();
    return out.includes("from-configmap") ? out : undefined;
  });
  assert.equal(text, `hello from web on ${nodeName}\nfrom-configmap\n`);
  let stamped = "";
  for await (const chunk of kubelet.podLogStream({ namespace: "default", pod: "web", timestamps: true, tailLines: 1 })) stamped += chunk.toString();
  assert.match(stamped, /^\d{4}-\d\d-\d\dT[\d:.]+Z from-configmap\n$/);

  const url = await kubelet.execUrl({ namespace: "default", pod: "web", command: ["ls"], stdin: false, stdout: true, stderr: true, tty: false });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/exec\//);

  await client.delete(R.pods, "default", "web", { gracePeriodSeconds: 1 });
  await waitFor("pod object removed by the kubelet", async () => {
    try {
      await client.get(R.pods, "default", "web");
      return undefined;
    } catch (e) {
      return e instanceof ApiError && e.code === 404 ? true : undefined;
    }
  }, 30_000);
  const left = (await rt.cri.listPodSandbox()).filter((s) => s.metadata.name === "web");
  assert.deepEqual(left, [], "the sandbox must be removed");
});

test("a failing container restarts with back-off and a bad image reports ErrImagePull", async () => {
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "crash", namespace: "default" },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 0,
      containers: [
        { name: "c", image: BUSYBOX_IMAGE, command: ["sh", "-c", "echo try; exit 3"] },
        { name: "bad", image: "127.0.0.1:1/nope/missing:1" },
      ],
    },
  } as KPod);
  const p = await waitFor("restart and back-off", async () => {
    const x = await client.get<KPod>(R.pods, "default", "crash");
    const c = x.status?.containerStatuses?.find((s) => s.name === "c");
    const bad = x.status?.containerStatuses?.find((s) => s.name === "bad");
    return c && c.restartCount >= 1 && c.state.waiting?.reason === "CrashLoopBackOff" && bad?.state.waiting?.reason ? x : undefined;
  }, 40_000);
  const c = p.status!.containerStatuses!.find((s) => s.name === "c")!;
  assert.equal(c.lastState.terminated?.exitCode, 3);
  assert.match(c.state.waiting?.message ?? "", /back-off 10s restarting failed container=c/);
  const bad = p.status!.containerStatuses!.find((s) => s.name === "bad")!;
  assert.match(bad.state.waiting!.reason!, /^(ErrImagePull|ImagePullBackOff)$/);
  assert.match(bad.state.waiting!.message ?? "", /nope\/missing/);
  assert.equal(p.status?.phase, "Pending");
  let prev = "";
  for await (const chunk of kubelet.podLogStream({ namespace: "default", pod: "crash", container: "c", previous: true })) prev += chunk.toString();
  assert.equal(prev, "try\n");
  await client.delete(R.pods, "default", "crash", { gracePeriodSeconds: 0 });
  await waitFor("crash pod sandbox removed", async () => ((await rt.cri.listPodSandbox()).some((s) => s.metadata.name === "crash") ? undefined : true), 30_000);
});

function selfSigned(d: string): { cert: string; key: string } {
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(d, "k.key"), "-out", join(d, "k.crt"), "-days", "1", "-subj", "/CN=kubelet", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "pipe" });
  return { cert: readFileSync(join(d, "k.crt"), "utf8"), key: readFileSync(join(d, "k.key"), "utf8") };
}

function httpsGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = httpsRequest({ host: "127.0.0.1", port, path, rejectUnauthorized: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    r.on("error", reject);
    r.end();
  });
}

/** Runs a remotecommand exchange over websocket and collects channel output until the status frame. */
function wsExec(url: string, protocols: string[], tls: boolean, send?: Buffer): Promise<{ out: Record<number, string>; status?: string; protocol: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, tls ? { rejectUnauthorized: false } : {});
    const out: Record<number, string> = {};
    ws.on("open", () => {
      if (send) ws.send(send);
    });
    ws.on("message", (data: Buffer) => {
      const ch = data[0]!;
      out[ch] = (out[ch] ?? "") + data.subarray(1).toString();
    });
    ws.on("close", () => resolve({ out, status: out[3], protocol: ws.protocol }));
    ws.on("unexpected-response", (_req, res) => reject(new Error(`handshake refused with ${res.statusCode}`)));
    ws.on("error", reject);
  });
}

test("streaming: kubelet HTTPS serves logs, stats, exec and port-forward; the API server helpers reach the local kubelet", async () => {
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "stream", namespace: "default" },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 0,
      containers: [
        { name: "web", image: BUSYBOX_IMAGE, command: ["sh", "-c", "mkdir -p /www && echo served-by-httpd > /www/index.html && echo started && exec httpd -f -p 8080 -h /www"], ports: [{ containerPort: 8080 }] },
      ],
    },
  } as KPod);
  await waitFor("stream pod running", async () => {
    const p = await client.get<KPod>(R.pods, "default", "stream");
    return p.status?.phase === "Running" && p.status.containerStatuses?.[0]?.ready ? p : undefined;
  }, 60_000);
  const tlsDir = mkdtempSync(join(tmpdir(), "k3sts-kcert-"));
  const server = await startKubeletServer(kubelet, { port: 0, host: "127.0.0.1", ...selfSigned(tlsDir) });
  const unregister = registerLocalKubelet(kubelet);
  const remote = { port: 0 };
  const front = createServer();
  front.on("upgrade", (req, socket, head) => {
    if (!podStreamUpgrade(req, socket, head, { getPod: (ns, n) => client.get(R.pods, ns, n), nodeAddress: async () => "127.0.0.1", kubeletPort: remote.port, kubeletTLS: { rejectUnauthorized: false } })) socket.destroy();
  });
  await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
  const frontPort = (front.address() as AddressInfo).port;
  try {
    assert.deepEqual(await httpsGet(server.port, "/healthz"), { status: 200, body: "ok" });
    const logs = await waitFor("logs over https", async () => {
      const r = await httpsGet(server.port, "/containerLogs/default/stream/web");
      return r.body.includes("started") ? r : undefined;
    });
    assert.equal(logs.body, "started\n");
    assert.equal((await httpsGet(server.port, "/containerLogs/default/nope/web")).status, 404);
    const summary = JSON.parse((await httpsGet(server.port, "/stats/summary")).body) as { node: { nodeName: string }; pods: { podRef: { name: string } }[] };
    assert.equal(summary.node.nodeName, nodeName);
    assert.ok(summary.pods.some((p) => p.podRef.name === "stream"));
    assert.match((await httpsGet(server.port, "/metrics/resource")).body, /container_memory_working_set_bytes\{container="web",namespace="default",pod="stream"\}/);

    // exec over websocket v4 (what client-node speaks), kubelet-style query
    const r = await wsExec(`wss://127.0.0.1:${server.port}/exec/default/stream/web?command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262%3B%20exit%207&output=1&error=1`, ["v4.channel.k8s.io"], true);
    assert.equal(r.protocol, "v4.channel.k8s.io");
    assert.equal(r.out[1], "out\n");
    assert.equal(r.out[2], "err\n");
    assert.match(r.status ?? "", /"reason":"NonZeroExitCode".*"message":"7"/);
    // v5 only (kubectl 1.32's first try) is refused so that kubectl falls back to SPDY
    await assert.rejects(wsExec(`wss://127.0.0.1:${server.port}/exec/default/stream/web?command=true&output=1`, ["v5.channel.k8s.io"], true), /handshake refused with 400/);

    // the API server path (pods/exec) to the in-process kubelet, API-style query
    const viaApi = await wsExec(`ws://127.0.0.1:${frontPort}/api/v1/namespaces/default/pods/stream/exec?command=cat&command=/www/index.html&stdout=true&container=web`, ["v4.channel.k8s.io"], false);
    assert.equal(viaApi.out[1], "served-by-httpd\n");

    // port-forward over websocket (client-node style ?ports=), data channel 0, error channel 1
    const pf = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${frontPort}/api/v1/namespaces/default/pods/stream/portforward?ports=8080`, ["v4.channel.k8s.io"]);
      let data = Buffer.alloc(0);
      let seen = 0;
      ws.on("message", (m: Buffer) => {
        if (m[0] !== 0) return;
        const payload = m.subarray(1);
        // the first frame of each channel carries the port
        if (seen++ === 0) {
          assert.equal(payload.readUInt16LE(0), 8080);
          ws.send(Buffer.concat([Buffer.from([0]), Buffer.from("GET / HTTP/1.0\r\n\r\n")]));
          return;
        }
        data = Buffer.concat([data, payload]);
        if (data.toString().includes("served-by-httpd")) {
          ws.close();
          resolve(data.toString());
        }
      });
      ws.on("unexpected-response", (_q, res) => reject(new Error(`portforward refused with ${res.statusCode}`)));
      ws.on("error", reject);
    });
    assert.match(pf, /^HTTP\/1\.[01] 200/);

    // pods/log through the subresource handler, with the local kubelet
    const handler = podLogSubresource({ nodeAddress: async () => "127.0.0.1" });
    const pod = await client.get(R.pods, "default", "stream");
    const ac = new AbortController();
    const res = await handler(
      { method: "GET", path: "/api/v1/namespaces/default/pods/stream/log", query: new URLSearchParams("tailLines=1"), headers: {}, user: { username: "admin", groups: [] }, signal: ac.signal },
      { getParent: async () => pod },
    );
    assert.equal(res.status, 200);
    let body = "";
    for await (const c of res.body as AsyncIterable<Buffer>) body += c.toString();
    assert.equal(body, "started\n");
    const bad = await handler(
      { method: "GET", path: "/x", query: new URLSearchParams("container=nope"), headers: {}, user: { username: "admin", groups: [] }, signal: ac.signal },
      { getParent: async () => pod },
    );
    assert.equal(bad.status, 400);

    // without an in-process kubelet the same helpers go to the kubelet's HTTPS port
    unregister();
    remote.port = server.port;
    const viaKubelet = await wsExec(`ws://127.0.0.1:${frontPort}/api/v1/namespaces/default/pods/stream/exec?command=echo&command=remote&stdout=true`, ["v4.channel.k8s.io"], false);
    assert.equal(viaKubelet.out[1], "remote\n");
    const remoteLogs = await podLogSubresource({ nodeAddress: async () => "127.0.0.1", kubeletPort: server.port, kubeletTLS: { rejectUnauthorized: false } })(
      { method: "GET", path: "/x", query: new URLSearchParams(), headers: {}, user: { username: "admin", groups: [] }, signal: ac.signal },
      { getParent: async () => pod },
    );
    let rbody = "";
    for await (const c of remoteLogs.body as AsyncIterable<Buffer>) rbody += c.toString();
    assert.equal(rbody, "started\n");
  } finally {
    unregister();
    front.closeAllConnections();
    await new Promise((r) => front.close(r));
    await server.close();
    rmSync(tlsDir, { recursive: true, force: true });
    await client.delete(R.pods, "default", "stream", { gracePeriodSeconds: 0 });
    await waitFor("stream pod gone", async () => ((await rt.cri.listPodSandbox()).some((s) => s.metadata.name === "stream") ? undefined : true), 30_000);
  }
});

test("configMap updates reach a running pod, and a restarted kubelet adopts its running containers", async () => {
  await client.create(R.configmaps, "default", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "live" }, data: { a: "1" } });
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "keep", namespace: "default" },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 0,
      containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], volumeMounts: [{ name: "cfg", mountPath: "/cfg" }] }],
      volumes: [{ name: "cfg", configMap: { name: "live" } }],
    },
  } as KPod);
  const running = await waitFor("keep running", async () => {
    const p = await client.get<KPod>(R.pods, "default", "keep");
    return p.status?.containerStatuses?.[0]?.state.running ? p : undefined;
  }, 60_000);
  const cid = running.status!.containerStatuses![0]!.containerID!.replace("containerd://", "");
  const cat = async (): Promise<string> => (await rt.cri.execSync(cid, { cmd: ["cat", "/cfg/a"], timeoutSeconds: 5 })).stdout.toString();
  assert.equal(await cat(), "1");
  await client.patch(R.configmaps, "default", "live", "merge", { data: { a: "2" } });
  await waitFor("configmap update in the volume", async () => ((await cat()) === "2" ? true : undefined), 20_000);

  const sandboxes = (await rt.cri.listPodSandbox()).filter((s) => s.metadata.name === "keep").map((s) => s.id);
  await kubelet.stop();
  kubelet = await startKubelet(kubeletOptions());
  await kubelet.ready();
  await new Promise((r) => setTimeout(r, 3000));
  const after = await client.get<KPod>(R.pods, "default", "keep");
  const cs = after.status!.containerStatuses![0]!;
  assert.equal(cs.containerID, `containerd://${cid}`, "the same container keeps running");
  assert.equal(cs.restartCount, 0);
  assert.equal(after.status?.phase, "Running");
  assert.deepEqual((await rt.cri.listPodSandbox()).filter((s) => s.metadata.name === "keep").map((s) => s.id), sandboxes);
  await client.delete(R.pods, "default", "keep", { gracePeriodSeconds: 0 });
  await waitFor("keep removed", async () => ((await rt.cri.listPodSandbox()).some((s) => s.metadata.name === "keep") ? undefined : true), 30_000);
});

test("a failing liveness probe restarts the container (restartCount counts it); a hostNetwork pod reports the host IP", async () => {
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "live", namespace: "default" },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: "c",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", "touch /tmp/alive; sleep 2; rm /tmp/alive; exec sleep 3600"],
          livenessProbe: { exec: { command: ["test", "-f", "/tmp/alive"] }, periodSeconds: 1, failureThreshold: 1 },
        },
      ],
    },
  } as KPod);
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "hostnet", namespace: "default" },
    spec: { nodeName, hostNetwork: true, terminationGracePeriodSeconds: 0, containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sleep", "3600"] }] },
  } as KPod);
  const restarted = await waitFor("liveness restart", async () => {
    const p = await client.get<KPod>(R.pods, "default", "live");
    const cs = p.status?.containerStatuses?.[0];
    return cs && cs.restartCount >= 1 && cs.lastState.terminated ? p : undefined;
  }, 40_000);
  assert.equal(restarted.status!.containerStatuses![0]!.lastState.terminated!.exitCode, 137);
  const events = await client.list(R.events, "default");
  assert.ok(events.items.some((e) => e.reason === "Unhealthy" && String(e.message).startsWith("Liveness probe failed")), "an Unhealthy event is recorded");
  const hn = await waitFor("hostNetwork pod running", async () => {
    const p = await client.get<KPod>(R.pods, "default", "hostnet");
    return p.status?.phase === "Running" ? p : undefined;
  }, 40_000);
  assert.equal(hn.status?.podIP, "127.0.0.1");
  for (const n of ["live", "hostnet"]) await client.delete(R.pods, "default", n, { gracePeriodSeconds: 0 });
  await waitFor("pods removed", async () => ((await rt.cri.listPodSandbox()).some((s) => ["live", "hostnet"].includes(s.metadata.name)) ? undefined : true), 30_000);
});

test("init containers run in order before the containers, a sidecar keeps running, and a Never pod completes as Succeeded", async () => {
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "job", namespace: "default" },
    spec: {
      nodeName,
      restartPolicy: "Never",
      terminationGracePeriodSeconds: 0,
      initContainers: [
        { name: "setup", image: BUSYBOX_IMAGE, command: ["sh", "-c", "echo init-done > /work/f"], volumeMounts: [{ name: "work", mountPath: "/work" }] },
        { name: "side", image: BUSYBOX_IMAGE, restartPolicy: "Always", command: ["sh", "-c", "echo side-up; exec sleep 3600"] },
      ],
      containers: [{ name: "main", image: BUSYBOX_IMAGE, command: ["sh", "-c", "cat /work/f; sleep 1"], volumeMounts: [{ name: "work", mountPath: "/work" }] }],
      volumes: [{ name: "work", emptyDir: {} }],
    },
  } as KPod);
  const done = await waitFor("pod Succeeded", async () => {
    const p = await client.get<KPod>(R.pods, "default", "job");
    return p.status?.phase === "Succeeded" ? p : undefined;
  }, 60_000);
  const init = done.status!.initContainerStatuses!;
  assert.equal(init[0]!.state.terminated?.reason, "Completed");
  assert.equal(done.status!.containerStatuses![0]!.state.terminated?.exitCode, 0);
  assert.equal(done.status?.conditions?.find((c) => c.type === "Ready")?.reason, "PodCompleted");
  const read = async (container: string): Promise<string> => {
    let out = "";
    for await (const c of kubelet.podLogStream({ namespace: "default", pod: "job", container })) out += c.toString();
    return out;
  };
  assert.equal(await read("main"), "init-done\n");
  assert.equal(await read("side"), "side-up\n");
  const running = (await rt.cri.listContainers()).filter((c) => c.labels["io.kubernetes.pod.name"] === "job" && c.state === "CONTAINER_RUNNING");
  assert.deepEqual(running, [], "a completed pod's sidecar is stopped");
  await client.delete(R.pods, "default", "job", { gracePeriodSeconds: 0 });
  await waitFor("job removed", async () => ((await rt.cri.listPodSandbox()).some((s) => s.metadata.name === "job") ? undefined : true), 30_000);
});

test("bad input: a missing ConfigMap holds the pod in ContainerCreating with FailedMount until it appears; a bad command backs off", async () => {
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "needs-cm", namespace: "default" },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 0,
      containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sh", "-c", "cat /cfg/k; exec sleep 3600"], volumeMounts: [{ name: "cfg", mountPath: "/cfg" }] }],
      volumes: [{ name: "cfg", configMap: { name: "late" } }],
    },
  } as KPod);
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "badcmd", namespace: "default" },
    spec: { nodeName, terminationGracePeriodSeconds: 0, containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["/no/such/binary"] }] },
  } as KPod);
  await waitFor("FailedMount event", async () => {
    const ev = await client.list(R.events, "default");
    return ev.items.some((e) => e.reason === "FailedMount" && (e.involvedObject as { name: string }).name === "needs-cm" && /configmap "late" not found/.test(String(e.message))) ? true : undefined;
  });
  const waiting = await client.get<KPod>(R.pods, "default", "needs-cm");
  assert.equal(waiting.status?.containerStatuses?.[0]?.state.waiting?.reason, "ContainerCreating");
  await client.create(R.configmaps, "default", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "late" }, data: { k: "arrived" } });
  await waitFor("needs-cm running", async () => {
    const p = await client.get<KPod>(R.pods, "default", "needs-cm");
    return p.status?.phase === "Running" ? p : undefined;
  });
  const bad = await waitFor("bad command backing off", async () => {
    const p = await client.get<KPod>(R.pods, "default", "badcmd");
    const cs = p.status?.containerStatuses?.[0];
    return cs && cs.restartCount >= 1 && cs.state.waiting?.reason === "CrashLoopBackOff" ? cs : undefined;
  });
  assert.equal(bad.lastState.terminated?.exitCode, 128);
  assert.match(bad.lastState.terminated?.message ?? "", /no\/such\/binary/);
  for (const n of ["needs-cm", "badcmd"]) await client.delete(R.pods, "default", n, { gracePeriodSeconds: 0 });
  await waitFor("removed", async () => ((await rt.cri.listPodSandbox()).some((s) => ["needs-cm", "badcmd"].includes(s.metadata.name)) ? undefined : true), 30_000);
});

test("containerd dying is survived: it is restarted, the pod keeps running untouched, and the kubelet carries on", async () => {
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "survivor", namespace: "default" },
    spec: { nodeName, terminationGracePeriodSeconds: 0, containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sleep", "3600"] }] },
  } as KPod);
  const before = await waitFor("survivor running", async () => {
    const p = await client.get<KPod>(R.pods, "default", "survivor");
    return p.status?.containerStatuses?.[0]?.state.running ? p : undefined;
  }, 60_000);
  const cid = before.status!.containerStatuses![0]!.containerID!.replace("containerd://", "");
  const pid = rt.containerd.pid()!;
  process.kill(pid, "SIGKILL");
  await waitFor("containerd restarted", async () => {
    const now = rt.containerd.pid();
    if (!now || now === pid) return undefined;
    return (await rt.cri.version()) ? true : undefined;
  }, 30_000);
  assert.equal((await rt.cri.containerStatus(cid)).state, "CONTAINER_RUNNING", "the container outlives containerd");
  await new Promise((r) => setTimeout(r, 2500));
  const after = await client.get<KPod>(R.pods, "default", "survivor");
  assert.equal(after.status?.containerStatuses?.[0]?.containerID, `containerd://${cid}`);
  assert.equal(after.status?.containerStatuses?.[0]?.restartCount, 0);
  assert.equal(after.status?.phase, "Running");
  // and new work still goes through
  await client.delete(R.pods, "default", "survivor", { gracePeriodSeconds: 0 });
  await waitFor("survivor removed", async () => ((await rt.cri.listPodSandbox()).some((s) => s.metadata.name === "survivor") ? undefined : true), 30_000);
});

test("projected service-account volume: token from TokenRequest (bound to the pod), CA from a ConfigMap, namespace from the downward API", async () => {
  const requests: { name?: string; body: Record<string, unknown> }[] = [];
  api.registerSubresource("serviceaccounts", "token", async (req, ctx) => {
    const body = JSON.parse(req.body!.toString()) as Record<string, unknown>;
    requests.push({ name: ctx.info.name, body });
    const status = { token: `token-for-${ctx.info.name}`, expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() };
    return { status: 201, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ ...body, status })) };
  });
  await client.create(R.configmaps, "default", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kube-root-ca.crt" }, data: { "ca.crt": "CA-PEM" } });
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "sa", namespace: "default" },
    spec: {
      nodeName,
      serviceAccountName: "builder",
      terminationGracePeriodSeconds: 0,
      containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], volumeMounts: [{ name: "kube-api-access", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true }] }],
      volumes: [
        {
          name: "kube-api-access",
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
            ],
          },
        },
      ],
    },
  } as KPod);
  const p = await waitFor("sa pod running", async () => {
    const x = await client.get<KPod>(R.pods, "default", "sa");
    return x.status?.containerStatuses?.[0]?.state.running ? x : undefined;
  }, 60_000);
  const cid = p.status!.containerStatuses![0]!.containerID!.replace("containerd://", "");
  const r = await rt.cri.execSync(cid, { cmd: ["sh", "-c", "cd /var/run/secrets/kubernetes.io/serviceaccount && cat token; echo; cat ca.crt; echo; cat namespace"], timeoutSeconds: 5 });
  assert.equal(r.stdout.toString(), "token-for-builder\nCA-PEM\ndefault");
  const spec = requests[0]!.body.spec as { boundObjectRef: { kind: string; name: string; uid: string }; expirationSeconds: number };
  assert.equal(requests[0]!.name, "builder");
  assert.deepEqual([spec.boundObjectRef.kind, spec.boundObjectRef.name, spec.boundObjectRef.uid], ["Pod", "sa", p.metadata.uid]);
  assert.equal(spec.expirationSeconds, 3607);
  await client.delete(R.pods, "default", "sa", { gracePeriodSeconds: 0 });
  await waitFor("sa removed", async () => ((await rt.cri.listPodSandbox()).some((s) => s.metadata.name === "sa") ? undefined : true), 30_000);
});

test("activeDeadlineSeconds fails the pod with DeadlineExceeded and stops its containers", async () => {
  await client.create(R.pods, "default", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "deadline", namespace: "default" },
    spec: { nodeName, activeDeadlineSeconds: 2, terminationGracePeriodSeconds: 0, containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sleep", "3600"] }] },
  } as KPod);
  const failed = await waitFor("DeadlineExceeded", async () => {
    const p = await client.get<KPod>(R.pods, "default", "deadline");
    return p.status?.phase === "Failed" ? p : undefined;
  }, 30_000);
  assert.equal(failed.status?.reason, "DeadlineExceeded");
  const running = (await rt.cri.listContainers()).filter((c) => c.labels["io.kubernetes.pod.name"] === "deadline" && c.state === "CONTAINER_RUNNING");
  assert.deepEqual(running, []);
  await client.delete(R.pods, "default", "deadline", { gracePeriodSeconds: 0 });
  await waitFor("deadline removed", async () => ((await rt.cri.listPodSandbox()).some((s) => s.metadata.name === "deadline") ? undefined : true), 30_000);
});

test("imagePullSecrets: the pull uses the pod's dockerconfigjson credentials and reports Pulling/Pulled", async () => {
  const { startTestRegistry } = await import("../agent/images/testregistry.ts");
  const reg = await startTestRegistry({ auth: "robot:pw" });
  try {
    const image = `127.0.0.1:${reg.port}/demo/app:1`;
    const cfg = { auths: { [`127.0.0.1:${reg.port}`]: { auth: Buffer.from("robot:pw").toString("base64") } } };
    await client.create(R.secrets, "default", { apiVersion: "v1", kind: "Secret", metadata: { name: "regcred" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": Buffer.from(JSON.stringify(cfg)).toString("base64") } });
    await client.create(R.pods, "default", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "pulled", namespace: "default" },
      spec: {
        nodeName,
        terminationGracePeriodSeconds: 0,
        imagePullSecrets: [{ name: "regcred" }],
        initContainers: [{ name: "fetch", image, imagePullPolicy: "Always", command: ["/hello.txt"] }],
        containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sleep", "3600"] }],
      },
    } as KPod);
    // the image has no shell: running it fails, but only after a successful pull
    await waitFor("Pulled event", async () => {
      const ev = await client.list(R.events, "default");
      return ev.items.some((e) => e.reason === "Pulled" && String(e.message).startsWith(`Successfully pulled image "${image}"`)) ? true : undefined;
    }, 30_000);
    assert.ok(reg.seen.some((l) => l.includes("/v2/demo/app/manifests/1") && l.endsWith("auth")), reg.seen.join("\n"));
    const events = await client.list(R.events, "default");
    assert.ok(events.items.some((e) => e.reason === "Pulling" && e.message === `Pulling image "${image}"`));
    assert.ok(await rt.cri.imageStatus(image));
  } finally {
    await reg.close();
    await client.delete(R.pods, "default", "pulled", { gracePeriodSeconds: 0 }).catch(() => {});
    await waitFor("pulled removed", async () => ((await rt.cri.listPodSandbox()).some((s) => s.metadata.name === "pulled") ? undefined : true), 30_000);
  }
});
