// The built-in crictl against a real containerd: a throwaway runtime with the
// system images imported runs one sandbox and one busybox container through
// the kubelet's CRI client; then crictl's subcommands (in-process, and once
// through `k3s crictl` with --runtime-endpoint) must show them as crictl does.
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, test } from "node:test";
import { freePort } from "../../../agent/containerd/fixture.ts";
import { BUSYBOX_IMAGE, importImages, ociArchive, writeTar } from "../../../agent/images/mod.ts";
import { startTestRuntime, type TestRuntime } from "../../../kubelet/cri/fixture.ts";
import type { PodSandboxConfig } from "../../../kubelet/cri/mod.ts";
import { runBuiltinCrictl } from "./mod.ts";

let rt: TestRuntime;
let endpoint: string;
let podId: string;
let ctrId: string;

/** Runs crictl in-process with captured output. */
async function crictl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return crictlWithInput(process.stdin, ...args);
}

/** Runs crictl in-process with the given stdin. */
async function crictlWithInput(stdin: NodeJS.ReadableStream, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), stdin };
  const code = await runBuiltinCrictl(args, { CONTAINER_RUNTIME_ENDPOINT: endpoint, CRI_CONFIG_FILE: "/nonexistent" }, io);
  return { code, out, err };
}

before(async () => {
  rt = await startTestRuntime({ withCni: false });
  endpoint = `unix://${rt.containerd.socket}`;
  const logDir = join(rt.containerd.dir, "pods", "default_web_uid1");
  mkdirSync(join(logDir, "app"), { recursive: true });
  const sandbox: PodSandboxConfig = {
    metadata: { name: "web", uid: "uid1", namespace: "default", attempt: 0 },
    log_directory: logDir,
    labels: { "io.kubernetes.pod.name": "web", "io.kubernetes.pod.namespace": "default" },
    linux: { security_context: { namespace_options: { network: "NODE" } } },
  };
  podId = await rt.cri.runPodSandbox(sandbox);
  ctrId = await rt.cri.createContainer({
    pod_sandbox_id: podId,
    sandbox_config: sandbox,
    config: {
      metadata: { name: "app", attempt: 0 },
      image: { image: BUSYBOX_IMAGE },
      command: ["sh", "-c", "echo hello from app; echo oops >&2; exec sleep 1000"],
      labels: { "io.kubernetes.pod.name": "web", "io.kubernetes.pod.namespace": "default", "io.kubernetes.container.name": "app" },
      log_path: "app/0.log",
    },
  });
  await rt.cri.startContainer(ctrId);
});

after(async () => {
  await rt?.cleanup();
});

test("ps lists the running container with name, state, pod id and crictl's columns; -q prints bare IDs", async () => {
  const r = await crictl("ps");
  assert.equal(r.code, 0, r.err);
  const [header, row, ...rest] = r.out.trimEnd().split("\n");
  assert.match(header!, /^CONTAINER\s+IMAGE\s+CREATED\s+STATE\s+NAME\s+ATTEMPT\s+POD ID\s+POD\s+NAMESPACE$/);
  assert.equal(rest.length, 0);
  const cells = row!.split(/\s{3,}/);
  assert.deepEqual([cells[0], cells[3], cells[4], cells[5], cells[6], cells[7], cells[8]], [ctrId.slice(0, 13), "Running", "app", "0", podId.slice(0, 13), "web", "default"]);
  assert.match(cells[2]!, /^(Less than a second|\d+ seconds|About a minute) ago$/);
  assert.equal(header!.indexOf("IMAGE"), row!.indexOf(cells[1]!), "columns line up");
  const q = await crictl("ps", "-q");
  assert.equal(q.out, `${ctrId}\n`);
  const json = JSON.parse((await crictl("ps", "-o", "json")).out) as { containers: { id: string; podSandboxId: string; state: string }[] };
  assert.deepEqual(json.containers.map((c) => [c.id, c.podSandboxId, c.state]), [[ctrId, podId, "CONTAINER_RUNNING"]]);
  assert.equal((await crictl("ps", "--name", "^nomatch$", "-q")).out, "");
  const v = (await crictl("ps", "-v")).out;
  assert.match(v, new RegExp(`^ID: ${ctrId}\nPodID: ${podId}\nNamespace: default\nName: app\nAttempt: 0\nState: Running\n`));
  assert.doesNotMatch(v, /Annotations:/, "an empty map prints no block, as Go's nil map");
});

test("pods shows the sandbox Ready; images shows the imported image", async () => {
  const pods = await crictl("pods");
  assert.equal(pods.code, 0, pods.err);
  const lines = pods.out.trimEnd().split("\n");
  assert.match(lines[0]!, /^POD ID\s+CREATED\s+STATE\s+NAME\s+NAMESPACE\s+ATTEMPT\s+RUNTIME$/);
  assert.deepEqual(lines[1]!.split(/\s{3,}/).filter((_, i) => i !== 1), [podId.slice(0, 13), "Ready", "web", "default", "0", "(default)"]);
  assert.equal((await crictl("pods", "-q", "--no-trunc")).out, `${podId}\n`);
  const images = await crictl("img");
  assert.equal(images.code, 0, images.err);
  const [repo, tag] = BUSYBOX_IMAGE.split(/:(?=[^:]+$)/);
  const row = images.out.split("\n").find((l) => l.startsWith(`${repo} `));
  assert.ok(row, images.out);
  assert.match(row, new RegExp(`^${repo}\\s+${tag}\\s+[0-9a-f]{13}\\s+\\d+(\\.\\d+)?[kM]B$`));
});

test("inspect, inspectp and inspecti print JSON documents with the runtime's info", async () => {
  const r = await crictl("inspect", ctrId.slice(0, 12));
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as { status: { id: string; state: string; createdAt: string; finishedAt: string; metadata: { name: string }; labels: Record<string, string> }; info?: { pid?: number } };
  assert.equal(doc.status.state, "CONTAINER_RUNNING");
  assert.equal(doc.status.id, ctrId);
  assert.equal(doc.status.metadata.name, "app");
  assert.equal(doc.status.labels["io.kubernetes.pod.name"], "web", "label keys keep their spelling");
  assert.match(doc.status.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.equal(doc.status.finishedAt, "0001-01-01T00:00:00Z");
  assert.ok((doc.info?.pid ?? 0) > 0, "verbose info carries the pid");
  const p = JSON.parse((await crictl("inspectp", podId)).out) as { status: { state: string; metadata: { name: string } } };
  assert.deepEqual([p.status.state, p.status.metadata.name], ["SANDBOX_READY", "web"]);
  const i = JSON.parse((await crictl("inspecti", BUSYBOX_IMAGE)).out) as { status: { repoTags: string[] } };
  assert.ok(i.status.repoTags.includes(BUSYBOX_IMAGE));
});

test("logs prints what the container wrote, stdout and stderr apart", async () => {
  let r = await crictl("logs", ctrId);
  for (let i = 0; i < 50 && !(r.out.includes("hello") && r.err.includes("oops")); i++) {
    await new Promise((res) => setTimeout(res, 100));
    r = await crictl("logs", ctrId);
  }
  assert.equal(r.code, 0);
  assert.equal(r.out, "hello from app\n");
  assert.equal(r.err, "oops\n");
  const ts = await crictl("logs", "--timestamps", "--tail", "1", "--stream", "stdout", ctrId);
  assert.equal(ts.code, 1, "--tail and --stream are mutually exclusive");
  const stamped = await crictl("logs", "-t", ctrId);
  assert.match(stamped.out, /^\d{4}-\d\d-\d\dT[\d:.]+Z hello from app\n$/);
  assert.equal((await crictl("logs", "--since", "2000-01-01T00:00:00Z", ctrId)).out, "hello from app\n");
  const future = new Date(Date.now() + 3_600_000).toISOString();
  assert.equal((await crictl("logs", "--since", future, ctrId)).out, "", "lines older than --since are left out");
});

test("exec runs a command and passes its exit code through: over SPDY, websocket and with -s", async () => {
  for (const transport of ["spdy", "websocket"]) {
    const hi = await crictl("exec", "--transport", transport, ctrId, "echo", "hi");
    assert.deepEqual([hi.code, hi.out, hi.err], [0, "hi\n", ""], transport);
    const three = await crictl("exec", "-r", transport, ctrId, "sh", "-c", "echo to-err >&2; exit 3");
    assert.deepEqual([three.code, three.out, three.err], [3, "", "to-err\n"], transport);
  }
  const sync = await crictl("exec", "-s", ctrId, "sh", "-c", "echo out; echo err >&2; exit 4");
  assert.deepEqual([sync.code, sync.out, sync.err], [4, "out\n", "err\n"]);
});

test("exec -i feeds piped stdin to the command and ends it, so cat sees EOF (SPDY half-close)", async () => {
  const r = await crictlWithInput(Readable.from([Buffer.from("line one\n"), Buffer.from("line two\n")]), "exec", "-i", ctrId, "sh", "-c", "cat; echo done");
  assert.deepEqual([r.code, r.out], [0, "line one\nline two\ndone\n"], r.err);
});

test("runp/create/start and run make sandboxes and containers from config files; attach streams a container's output", async () => {
  const dir = join(rt.containerd.dir, "crictl-configs");
  mkdirSync(dir, { recursive: true });
  const pod = { metadata: { name: "cfg", namespace: "default" }, linux: { security_context: { namespace_options: { network: "NODE" } } } };
  writeFileSync(join(dir, "pod.json"), JSON.stringify(pod));
  writeFileSync(join(dir, "ctr.yaml"), `metadata:\n  name: sleeper\nimage:\n  image: ${BUSYBOX_IMAGE}\ncommand: [sleep, "60"]\n`);
  writeFileSync(join(dir, "talker.yaml"), `metadata:\n  name: talker\nimage:\n  image: ${BUSYBOX_IMAGE}\ncommand: [sh, -c, "sleep 2; echo attached-out"]\n`);
  const runp = await crictl("runp", join(dir, "pod.json"));
  assert.equal(runp.code, 0, runp.err);
  const newPod = runp.out.trim();
  const created = await crictl("create", newPod, join(dir, "ctr.yaml"), join(dir, "pod.json"));
  assert.equal(created.code, 0, created.err);
  const newCtr = created.out.trim();
  assert.equal((await crictl("start", newCtr)).out, `${newCtr}\n`);
  assert.match((await crictl("ps", "--pod", newPod)).out, /\ssleeper\s/);
  const run = await crictl("run", join(dir, "talker.yaml"), join(dir, "pod.json"));
  assert.equal(run.code, 0, run.err);
  const attached = await crictl("attach", run.out.trim());
  assert.deepEqual([attached.code, attached.out], [0, "attached-out\n"], attached.err);
  assert.equal((await crictl("runp", join(dir, "missing.json"))).code, 1);
  const cfgPods = (await crictl("pods", "--name", "^cfg$", "-q")).out.trim().split("\n");
  assert.equal(cfgPods.length, 2);
  const removed = await crictl("rmp", "-f", ...cfgPods);
  assert.equal(removed.code, 0, removed.err);
});

test("port-forward carries local connections to a port inside the pod", async () => {
  const port = await freePort();
  const serve = await crictl("exec", "-s", ctrId, "sh", "-c", `mkdir -p /www && echo hello-pf > /www/index.html && httpd -p 127.0.0.1:${port} -h /www`);
  assert.equal(serve.code, 0, serve.err);
  const main = join(import.meta.dirname, "..", "..", "main.ts");
  const child = spawn(process.execPath, ["--import", "tsx", main, "crictl", "-r", endpoint, "port-forward", podId, `:${port}`], { env: { ...process.env, PATH: "/usr/bin:/bin", K3S_CONFIG_FILE: "" }, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const local = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d;
        const m = /Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on("exit", (code) => reject(new Error(`port-forward exited ${code}`)));
    });
    for (let i = 0; i < 2; i++) {
      const body = await (await fetch(`http://127.0.0.1:${local}/`)).text();
      assert.equal(body, "hello-pf\n");
    }
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    assert.equal(await exited, 0, "Ctrl-C ends port-forward cleanly, as crictl's does");
  } finally {
    child.kill();
  }
});

test("rmi removes an image by name and names what it deleted; a missing one fails", async () => {
  const dir = join(rt.containerd.dir, "crictl-images");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "x.tar"), ociArchive([{ name: "docker.io/k3s-ts/crictl-doomed:1", layers: [writeTar([{ name: "f", type: "file", data: Buffer.alloc(64, 1) }])], config: { cmd: ["/f"] } }]));
  await importImages({ socket: rt.containerd.socket, dir });
  assert.match((await crictl("images", "-q", "docker.io/k3s-ts/crictl-doomed:1")).out, /^sha256:[0-9a-f]{64}\n$/);
  const r = await crictl("rmi", "docker.io/k3s-ts/crictl-doomed:1");
  assert.deepEqual([r.code, r.out], [0, "Deleted: docker.io/k3s-ts/crictl-doomed:1\n"], r.err);
  const again = await crictl("rmi", "docker.io/k3s-ts/crictl-doomed:1");
  assert.equal(again.code, 1);
  assert.match(again.err, /no such image docker\.io\/k3s-ts\/crictl-doomed:1/);
});

test("unknown subcommands and flags fail with exit code 1; --help lists the subcommands", async () => {
  const bad = await crictl("frobnicate");
  assert.equal(bad.code, 1);
  assert.match(bad.err, /No help topic for 'frobnicate'/);
  const flag = await crictl("ps", "--bogus");
  assert.equal(flag.code, 1);
  assert.match(flag.err, /flag provided but not defined: -bogus/);
  const help = await crictl("--help");
  for (const c of ["exec", "images, image, img", "inspect", "inspecti", "inspectp", "logs", "pods", "ps", "rm", "rmi", "rmp", "stats", "statsp", "stop", "stopp", "version"]) assert.match(help.out, new RegExp(`\\n   ${c} +\\S`), c);
});

test("version, stats and stop/rm/stopp/rmp drive the runtime", async () => {
  const v = await crictl("version");
  assert.match(v.out, /^Version:  0\.1\.0\nRuntimeName:  containerd\nRuntimeVersion:  \S+\nRuntimeApiVersion:  v1\n$/);
  const info = JSON.parse((await crictl("info")).out) as { status: { conditions: { type: string; status: boolean }[] }; config?: object };
  assert.ok(info.status.conditions.some((c) => c.type === "RuntimeReady" && c.status));
  assert.ok(info.config, "verbose info carries containerd's CRI config");
  const s = await crictl("stats", "-s", "0", "-a");
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /^CONTAINER\s+NAME\s+CPU %\s+MEM\s+DISK\s+INODES\s+SWAP\n/);
  assert.match(s.out, new RegExp(`\\n${ctrId.slice(0, 13)}\\s+app\\s+\\d+\\.\\d\\d\\s+\\S+B`));
  assert.equal((await crictl("rm", ctrId)).code, 1, "a running container is not removed without -f");
  assert.equal((await crictl("stop", "-t", "1", ctrId)).out, `${ctrId}\n`);
  assert.match((await crictl("ps", "-a")).out, /Exited/);
  assert.equal((await crictl("rm", ctrId)).out, `${ctrId}\n`);
  assert.equal((await crictl("stopp", podId)).out, `Stopped sandbox ${podId}\n`);
  assert.equal((await crictl("rmp", podId)).out, `Removed sandbox ${podId}\n`);
  assert.equal((await crictl("pods", "-q")).out, "");
});

test("k3s crictl without a crictl on PATH runs the built-in one against --runtime-endpoint", () => {
  const main = join(import.meta.dirname, "..", "..", "main.ts");
  const r = spawnSync(process.execPath, ["--import", "tsx", main, "crictl", "--runtime-endpoint", endpoint, "version"], { encoding: "utf8", env: { ...process.env, PATH: "/usr/bin:/bin", K3S_CONFIG_FILE: "" }, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /RuntimeName:  containerd/);
  const bad = spawnSync(process.execPath, ["--import", "tsx", main, "crictl", "nosuch"], { encoding: "utf8", env: { ...process.env, PATH: "/usr/bin:/bin", K3S_CONFIG_FILE: "" }, timeout: 60_000 });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /No help topic for 'nosuch'/);
});
