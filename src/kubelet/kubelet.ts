/**
 * The kubelet: registers the Node, keeps its Lease and status fresh, watches
 * the pods bound to it, and runs one worker per pod against the CRI runtime.
 */
import { existsSync } from "node:fs";

import { ApiError, createEventRecorder, Informer, R, type Client, type Node } from "../client/mod.ts";
import { writeCniConfig } from "../network/cni/mod.ts";
import type { KubeletContext } from "./context.ts";
import { createCriClient, type CriClient } from "./cri/mod.ts";
import { collectImages } from "./imagegc.ts";
import { createKubeletEviction, type KubeletEvictionOptions } from "./eviction/kubelet.ts";
import { rotateContainerLogs, type LogRotateOptions } from "./logrotate.ts";
import { ImagePuller } from "./images.ts";
import type { PullRegistries } from "./images/rewrite.ts";
import { podLogStream, type PodLogOptions } from "./logs.ts";
import { machineResources, nodeStatus, registerNode, renewLease, type NodeInfoOptions } from "./node.ts";
import { LABEL_POD_UID, podCgroupCandidates, podLogDir, type SandboxContext } from "./spec.ts";
import type { KPod } from "./types.ts";
import { TokenCache, teardownVolumes } from "./volumes/mod.ts";
import { PodWorker } from "./worker.ts";
import { removePodCgroups } from "./cgroups.ts";
import { rmSync } from "node:fs";

/** Where and how the kubelet writes the CNI config once the node has a pod CIDR. */
export interface KubeletCniOptions {
  /** containerd's CNI conf dir (<dataDir>/agent/etc/cni/net.d) */
  confDir: string;
  /** bridge name, default cni0 */
  bridge?: string;
  /** host-local lease dir, default /var/lib/cni/networks */
  ipamDataDir?: string;
}

/** Everything the kubelet runs with. */
export interface KubeletOptions {
  client: Client;
  nodeName: string;
  nodeIPs: string[];
  nodeExternalIPs?: string[];
  /** node labels besides the defaults (node-role.kubernetes.io/control-plane etc. from the agent) */
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }[];
  /** containerd's socket */
  criSocket: string;
  /** the k3s data dir */
  dataDir: string;
  /** kubelet root (volumes, tokens); default /var/lib/kubelet */
  rootDir?: string;
  /** container logs; default /var/log/pods */
  podLogsDir?: string;
  /** cluster DNS service IP(s), e.g. 10.43.0.10 */
  clusterDNS: string | string[];
  clusterDomain: string;
  /** resolv.conf for dnsPolicy Default; default /etc/resolv.conf */
  resolvConf?: string;
  /** cgroupfs parent of pod cgroups; default /kubepods */
  cgroupRoot?: string;
  /** write the bridge CNI config when spec.podCIDR appears; false when flannel (or another) writes it */
  cni?: KubeletCniOptions | false;
  /** the kubelet HTTPS port reported in the node status (the server is started separately: startKubeletServer) */
  port?: number;
  maxPods?: number;
  /** image GC: containerd's root dir and thresholds (percent of that filesystem); absent = no image GC */
  imageGC?: { imageFsPath: string; highThresholdPercent?: number; lowThresholdPercent?: number; keep?: string[] };
  /** container log rotation (default 10Mi, 5 files) */
  logRotate?: LogRotateOptions;
  /** seconds between full syncs of a steady pod (volume contents, tokens); default 30 */
  resyncSeconds?: number;
  /** seconds between node status updates and lease renewals; default 10 */
  statusIntervalSeconds?: number;
  /** node-pressure eviction: thresholds (default upstream's) and the housekeeping interval */
  eviction?: KubeletEvictionOptions;
  /** registries.yaml (mirrors, configs): the kubelet applies its rewrites, which containerd 1.6 cannot */
  registries?: PullRegistries;
  log?: (msg: string) => void;
}

/** A running kubelet. */
export interface Kubelet {
  readonly nodeName: string;
  readonly cri: CriClient;
  readonly podLogsDir: string;
  /** the pods this kubelet runs, as last seen from the API */
  pods(): KPod[];
  /** the worker of a pod (by namespace/name), if it runs here */
  worker(namespace: string, name: string): PodWorker | undefined;
  /** streams a container log (pods/log); container defaults to the pod's first */
  podLogStream(opts: KubeletLogOptions): AsyncGenerator<Buffer>;
  /** CRI streaming URL for exec in a container */
  execUrl(req: StreamTarget & { command: string[]; stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }): Promise<string>;
  /** CRI streaming URL for attach to a container */
  attachUrl(req: StreamTarget & { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }): Promise<string>;
  /** CRI streaming URL for port-forward into a pod */
  portForwardUrl(req: { namespace: string; pod: string; ports: number[] }): Promise<string>;
  /** resolves once the first pod list is in */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/** pods/log options as the kubelet takes them. */
export type KubeletLogOptions = Omit<PodLogOptions, "podLogsDir" | "container"> & { container?: string };

/** Names a container of a pod on this node. */
export interface StreamTarget {
  namespace: string;
  pod: string;
  /** defaults to the first container */
  container?: string;
}

/** A pod or container the kubelet does not run (404 in the API). */
export class NotFoundOnNodeError extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function toList(v: string | string[]): string[] {
  return (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean);
}

/** Starts the kubelet; resolves once the node is registered. */
export async function startKubelet(opts: KubeletOptions): Promise<Kubelet> {
  const log = opts.log ?? ((m: string) => console.error(`kubelet: ${m}`));
  const client = opts.client;
  const cri = createCriClient(opts.criSocket);
  const rootDir = opts.rootDir ?? "/var/lib/kubelet";
  const podLogsDir = opts.podLogsDir ?? "/var/log/pods";
  const interval = (opts.statusIntervalSeconds ?? 10) * 1000;
  let version = "";
  for (let i = 0; ; i++) {
    try {
      version = (await cri.version()).runtime_version;
      break;
    } catch (e) {
      if (i > 60) throw new Error(`container runtime on ${opts.criSocket} is not answering: ${(e as Error).message}`);
      await sleep(500);
    }
  }
  const nodeOpts: NodeInfoOptions = {
    nodeName: opts.nodeName,
    nodeIPs: opts.nodeIPs,
    externalIPs: opts.nodeExternalIPs,
    labels: opts.labels ?? {},
    taints: opts.taints ?? [],
    runtimeVersion: `containerd://${version.replace(/^v/, "")}`,
    rootDir: existsSync(rootDir) ? rootDir : "/",
    kubeletPort: opts.port ?? 10250,
    maxPods: opts.maxPods,
  };
  const eviction = createKubeletEviction(opts.eviction ?? {}, { nodeOpts, imageFsPath: opts.imageGC?.imageFsPath ?? opts.dataDir });
  nodeOpts.evictionHard = eviction.reserve;
  let node = await registerNode(client, nodeOpts);
  const events = createEventRecorder(client, { component: "kubelet", host: opts.nodeName });
  const sandbox: SandboxContext = {
    clusterDNS: toList(opts.clusterDNS),
    clusterDomain: opts.clusterDomain,
    resolvConf: opts.resolvConf ?? "/etc/resolv.conf",
    podLogsDir,
    cgroupRoot: opts.cgroupRoot ?? "/kubepods",
  };
  let kubeSvc: { at: number; env: Record<string, string> } | undefined;
  const ctx: KubeletContext = {
    client,
    cri,
    nodeName: opts.nodeName,
    hostIPs: opts.nodeIPs,
    sandbox,
    rootDir,
    events,
    tokens: new TokenCache(client),
    images: new ImagePuller(cri, events, { registries: opts.registries, log }),
    allocatable: () => machineResources(nodeOpts).allocatable,
    log,
    async serviceEnv() {
      if (kubeSvc && Date.now() - kubeSvc.at < 30_000) return kubeSvc.env;
      const env: Record<string, string> = {};
      try {
        const svc = await client.get(R.services, "default", "kubernetes");
        const spec = svc.spec as { clusterIP?: string; ports?: { name?: string; port: number; protocol?: string }[] };
        const port = spec.ports?.find((p) => p.name === "https") ?? spec.ports?.[0];
        if (spec.clusterIP && port) {
          const ip = spec.clusterIP;
          Object.assign(env, {
            KUBERNETES_SERVICE_HOST: ip,
            KUBERNETES_SERVICE_PORT: String(port.port),
            KUBERNETES_SERVICE_PORT_HTTPS: String(port.port),
            KUBERNETES_PORT: `tcp://${ip}:${port.port}`,
            [`KUBERNETES_PORT_${port.port}_TCP`]: `tcp://${ip}:${port.port}`,
            [`KUBERNETES_PORT_${port.port}_TCP_PROTO`]: "tcp",
            [`KUBERNETES_PORT_${port.port}_TCP_PORT`]: String(port.port),
            [`KUBERNETES_PORT_${port.port}_TCP_ADDR`]: ip,
          });
        }
      } catch {
        /* no kubernetes service yet */
      }
      kubeSvc = { at: Date.now(), env };
      return env;
    },
  };

  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  // Lease and node status.
  let cniWritten = "";
  const applyPodCIDR = async (n: Node): Promise<void> => {
    const cidrs = n.spec?.podCIDRs?.length ? n.spec.podCIDRs : n.spec?.podCIDR ? [n.spec.podCIDR] : [];
    if (!cidrs.length || !opts.cni) return;
    const key = cidrs.join(",");
    if (key === cniWritten) return;
    writeCniConfig({ confDir: opts.cni.confDir, podCIDRs: cidrs, bridge: opts.cni.bridge, ipamDataDir: opts.cni.ipamDataDir });
    await cri.updatePodCIDR(cidrs[0]!).catch(() => {});
    cniWritten = key;
    log(`wrote CNI config for pod CIDR ${key}`);
  };
  await applyPodCIDR(node);
  const updateStatus = async (): Promise<void> => {
    const conds = await cri.status().catch(() => []);
    const rt = conds.find((c) => c.type === "RuntimeReady");
    const net = conds.find((c) => c.type === "NetworkReady");
    const health = !rt?.status
      ? { ready: false, reason: "KubeletNotReady", message: `container runtime is down: ${rt?.message ?? "no answer"}` }
      : !net?.status
        ? { ready: false, reason: "KubeletNotReady", message: `container runtime network not ready: NetworkReady=false reason:${net?.reason ?? ""} message:${net?.message ?? ""}` }
        : { ready: true };
    const current = await client.get<Node>(R.nodes, undefined, opts.nodeName).catch((e: unknown) => {
      if (e instanceof ApiError && e.code === 404) return undefined;
      throw e;
    });
    if (!current) {
      node = await registerNode(client, nodeOpts);
      return;
    }
    node = current;
    await applyPodCIDR(current);
    await client.patch(R.nodes, undefined, opts.nodeName, "merge", { status: nodeStatus(nodeOpts, { health, old: current.status?.conditions, pressure: eviction.conditions() }) }, { subresource: "status" });
  };
  const heartbeat = async (): Promise<void> => {
    await renewLease(client, { nodeName: opts.nodeName, ownerUid: node.metadata.uid }).catch((e: unknown) => log(`lease renewal failed: ${(e as Error).message}`));
    await updateStatus().catch((e: unknown) => log(`node status update failed: ${(e as Error).message}`));
  };
  await heartbeat();
  timers.push(setInterval(() => void heartbeat(), interval));

  // The node's own object, for spec.podCIDR changes.
  const nodeInformer = new Informer<Node>(client, R.nodes, { fieldSelector: `metadata.name=${opts.nodeName}` });
  nodeInformer.addEventHandler({
    add: (n) => void applyPodCIDR(n).then(() => updateStatus()).catch(() => {}),
    update: (_o, n) => void applyPodCIDR(n).catch(() => {}),
  });
  nodeInformer.start();

  // Pods bound to this node.
  const workers = new Map<string, PodWorker>();
  const byName = new Map<string, string>();
  const finished = new Set<string>();
  const onPod = (pod: KPod): void => {
    const uid = pod.metadata.uid!;
    if (finished.has(uid) || stopped) return;
    let w = workers.get(uid);
    if (!w) {
      w = new PodWorker(pod, ctx);
      w.onFinished = () => {
        workers.delete(uid);
        fingerprints.delete(uid);
        lastFullSync.delete(uid);
        finished.add(uid);
        if (byName.get(`${pod.metadata.namespace}/${pod.metadata.name}`) === uid) byName.delete(`${pod.metadata.namespace}/${pod.metadata.name}`);
      };
      workers.set(uid, w);
      byName.set(`${pod.metadata.namespace}/${pod.metadata.name}`, uid);
      eviction.admit(pod, w);
    }
    w.update(pod);
  };
  const podInformer = new Informer<KPod>(client, R.pods, { fieldSelector: `spec.nodeName=${opts.nodeName}` });
  podInformer.addEventHandler({
    add: onPod,
    update: (_o, p) => onPod(p),
    delete: (p) => {
      // no later event can name this uid: forget it once its worker is done
      if (finished.delete(p.metadata.uid!)) return;
      const w = workers.get(p.metadata.uid!);
      // removed from the API without us (force delete): stop it without grace
      if (w) void w.terminate("orphaned").catch((e: unknown) => log(`cleanup of ${p.metadata.name} failed: ${(e as Error).message}`));
    },
  });
  podInformer.start();

  // PLEG: relist the runtime every second and wake the workers whose containers changed.
  const fingerprints = new Map<string, string>();
  const lastFullSync = new Map<string, number>();
  const resyncMs = (opts.resyncSeconds ?? 30) * 1000;
  let relisting = false;
  const relist = async (): Promise<void> => {
    if (relisting || stopped) return;
    relisting = true;
    try {
      const all = await cri.listContainers();
      const fp = new Map<string, string[]>();
      for (const c of all) {
        const uid = c.labels[LABEL_POD_UID];
        if (!uid) continue;
        (fp.get(uid) ?? fp.set(uid, []).get(uid)!).push(`${c.id}:${c.state}`);
      }
      const now = Date.now();
      for (const [uid, w] of workers) {
        const f = (fp.get(uid) ?? []).sort().join(",");
        // a periodic full sync carries ConfigMap/Secret updates and token renewals into volumes
        const due = now - (lastFullSync.get(uid) ?? 0) > resyncMs;
        if (f !== fingerprints.get(uid) || w.needsResync || due) {
          fingerprints.set(uid, f);
          lastFullSync.set(uid, now);
          w.trigger();
        }
      }
    } catch (e) {
      log(`runtime relist failed: ${(e as Error).message}`);
    } finally {
      relisting = false;
    }
  };
  timers.push(setInterval(() => void relist(), 1000));

  // Housekeeping: sandboxes of pods this node no longer has.
  const housekeeping = async (): Promise<void> => {
    if (!podInformer.hasSynced() || stopped) return;
    const known = new Set(podInformer.store.list().map((p) => p.metadata.uid));
    for (const s of await cri.listPodSandbox().catch(() => [])) {
      const uid = s.labels[LABEL_POD_UID];
      if (!uid || known.has(uid) || workers.has(uid)) continue;
      log(`removing sandbox ${s.id.slice(0, 12)} of pod ${s.metadata.namespace}/${s.metadata.name} that is no longer bound here`);
      await cri.stopPodSandbox(s.id).catch(() => {});
      await cri.removePodSandbox(s.id).catch(() => {});
      const fake = { metadata: { uid, name: s.metadata.name, namespace: s.metadata.namespace }, spec: { containers: [] } } as KPod;
      teardownVolumes(rootDir, uid);
      for (const cg of podCgroupCandidates(uid, sandbox)) removePodCgroups(cg);
      rmSync(podLogDir(fake, podLogsDir), { recursive: true, force: true });
    }
  };
  timers.push(setInterval(() => void housekeeping(), 10_000));
  eviction.run({ ctx, imageGC: opts.imageGC, workers: () => [...workers.values()] });
  timers.push(setInterval(() => void rotateContainerLogs(cri, opts.logRotate).catch((e: unknown) => log(`log rotation failed: ${(e as Error).message}`)), 10_000));
  if (opts.imageGC) {
    const gc = opts.imageGC;
    timers.push(
      setInterval(() => {
        void collectImages(cri, gc)
          .then((r) => r.removed.length && log(`image GC removed ${r.removed.join(", ")}; image fs ${r.usedPercent.toFixed(0)}% used`))
          .catch((e: unknown) => log(`image GC failed: ${(e as Error).message}`));
      }, 300_000),
    );
  }

  const findWorker = (namespace: string, name: string): PodWorker => {
    const uid = byName.get(`${namespace}/${name}`);
    const w = uid ? workers.get(uid) : undefined;
    if (!w) throw new NotFoundOnNodeError(`pod "${name}" in namespace "${namespace}" does not run on node ${opts.nodeName}`);
    return w;
  };
  const containerOf = (t: StreamTarget): { w: PodWorker; name: string; id: string } => {
    const w = findWorker(t.namespace, t.pod);
    const name = t.container || w.pod.spec.containers[0]!.name;
    const id = w.containerId(name);
    if (!id) throw new NotFoundOnNodeError(`container "${name}" in pod "${t.pod}" is not running`);
    return { w, name, id };
  };

  return {
    nodeName: opts.nodeName,
    cri,
    podLogsDir,
    pods: () => [...workers.values()].map((w) => w.pod),
    worker: (namespace, name) => {
      const uid = byName.get(`${namespace}/${name}`);
      return uid ? workers.get(uid) : undefined;
    },
    podLogStream(o) {
      const uid = byName.get(`${o.namespace}/${o.pod}`);
      const w = uid ? workers.get(uid) : undefined;
      const container = o.container || w?.pod.spec.containers[0]?.name || "";
      return podLogStream({
        ...o,
        container,
        uid: o.uid ?? uid,
        podLogsDir,
        isRunning:
          o.isRunning ??
          (async () => {
            const id = w?.containerId(container);
            if (!id) return false;
            const st = await cri.containerStatus(id).catch(() => undefined);
            return st?.state === "CONTAINER_RUNNING";
          }),
      });
    },
    async execUrl(r) {
      const { id } = containerOf(r);
      return cri.exec({ container_id: id, cmd: r.command, stdin: r.stdin, stdout: r.stdout, stderr: r.tty ? false : r.stderr, tty: r.tty });
    },
    async attachUrl(r) {
      const { id } = containerOf(r);
      return cri.attach({ container_id: id, stdin: r.stdin, stdout: r.stdout, stderr: r.tty ? false : r.stderr, tty: r.tty });
    },
    async portForwardUrl(r) {
      const w = findWorker(r.namespace, r.pod);
      if (!w.sandboxId) throw new NotFoundOnNodeError(`pod "${r.pod}" has no running sandbox`);
      return cri.portForward(w.sandboxId, r.ports);
    },
    ready: () => podInformer.waitForSync(),
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      eviction.stop();
      podInformer.stop();
      nodeInformer.stop();
      await events.flush().catch(() => {});
      cri.close();
    },
  };
}

