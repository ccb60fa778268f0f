/** Pod and container specs → CRI sandbox and container configs. */
import { readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { join } from "node:path";
import { parseQuantity } from "../client/mod.ts";
import type { ContainerConfig, DNSConfig, LinuxContainerSecurityContext, Mount, NamespaceOption, PodSandboxConfig, PortMapping } from "./cri/mod.ts";
import { expandVars } from "./env.ts";
import type { ContainerSpec, KPod, SecurityContext } from "./types.ts";

/** Labels the kubelet puts on sandboxes and containers to find them again (as upstream). */
export const LABEL_POD_NAME = "io.kubernetes.pod.name";
export const LABEL_POD_NAMESPACE = "io.kubernetes.pod.namespace";
export const LABEL_POD_UID = "io.kubernetes.pod.uid";
export const LABEL_CONTAINER_NAME = "io.kubernetes.container.name";
export const ANNOTATION_RESTART_COUNT = "io.kubernetes.container.restartCount";

/** Node-wide settings a sandbox needs. */
export interface SandboxContext {
  clusterDNS: string[];
  clusterDomain: string;
  /** the host's resolv.conf (dnsPolicy Default) */
  resolvConf: string;
  /** /var/log/pods */
  podLogsDir: string;
  /** cgroupfs parent of pod cgroups, e.g. /kubepods */
  cgroupRoot: string;
}

function parseResolvConf(file: string): DNSConfig {
  const out: Required<DNSConfig> = { servers: [], searches: [], options: [] };
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return out;
  }
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[0] === "nameserver" && f[1]) out.servers.push(f[1]);
    else if (f[0] === "search") out.searches = f.slice(1);
    else if (f[0] === "options") out.options.push(...f.slice(1));
  }
  return out;
}

/** The pod's DNS config from dnsPolicy and dnsConfig, as upstream computes it. */
export function podDNSConfig(pod: KPod, ctx: SandboxContext): DNSConfig {
  const policy = pod.spec.dnsPolicy ?? "ClusterFirst";
  const ns = pod.metadata.namespace ?? "default";
  let cfg: Required<DNSConfig>;
  const host = parseResolvConf(ctx.resolvConf) as Required<DNSConfig>;
  const clusterFirst = (policy === "ClusterFirst" && !pod.spec.hostNetwork) || policy === "ClusterFirstWithHostNet";
  if (policy === "None") cfg = { servers: [], searches: [], options: [] };
  else if (clusterFirst && ctx.clusterDNS.length) {
    const d = ctx.clusterDomain;
    cfg = { servers: [...ctx.clusterDNS], searches: [`${ns}.svc.${d}`, `svc.${d}`, d, ...host.searches], options: ["ndots:5"] };
  } else cfg = { servers: host.servers, searches: host.searches, options: host.options };
  const extra = pod.spec.dnsConfig;
  if (extra) {
    cfg.servers.push(...(extra.nameservers ?? []));
    cfg.searches.push(...(extra.searches ?? []));
    for (const o of extra.options ?? []) {
      cfg.options = cfg.options.filter((x) => x.split(":")[0] !== o.name);
      cfg.options.push(o.value !== undefined ? `${o.name}:${o.value}` : o.name);
    }
  }
  cfg.searches = [...new Set(cfg.searches)].slice(0, 32);
  return cfg;
}

function namespaces(pod: KPod): NamespaceOption {
  return {
    network: pod.spec.hostNetwork ? "NODE" : "POD",
    pid: pod.spec.hostPID ? "NODE" : pod.spec.shareProcessNamespace ? "POD" : "CONTAINER",
    ipc: pod.spec.hostIPC ? "NODE" : "POD",
  };
}

/** The pod's cgroup parent (cgroupfs syntax), under its QoS class as upstream: <root>/pod<uid>, <root>/burstable/pod<uid>, <root>/besteffort/pod<uid>. */
export function podCgroupParent(pod: KPod, ctx: SandboxContext): string {
  const qos = qosClass(pod);
  const tier = qos === "Guaranteed" ? "" : `/${qos.toLowerCase()}`;
  return `${ctx.cgroupRoot}${tier}/pod${pod.metadata.uid}`;
}

/** Every cgroup parent a pod with this uid may have had (cleanup when the spec is no longer known). */
export function podCgroupCandidates(uid: string, ctx: SandboxContext): string[] {
  return ["", "/burstable", "/besteffort"].map((tier) => `${ctx.cgroupRoot}${tier}/pod${uid}`);
}

/** The pod's log directory, /var/log/pods/<ns>_<name>_<uid>. */
export function podLogDir(pod: KPod, podLogsDir: string): string {
  return join(podLogsDir, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`);
}

function allContainers(pod: KPod): ContainerSpec[] {
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
}

/** The RunPodSandbox config for a pod. */
export function sandboxConfig(pod: KPod, opts: SandboxContext & { attempt: number }): PodSandboxConfig {
  const md = pod.metadata;
  const ports: PortMapping[] = [];
  if (!pod.spec.hostNetwork) {
    for (const c of pod.spec.containers) {
      for (const p of c.ports ?? []) {
        if (p.hostPort) ports.push({ protocol: p.protocol ?? "TCP", container_port: p.containerPort, host_port: p.hostPort, host_ip: p.hostIP ?? "" });
      }
    }
  }
  const psc = pod.spec.securityContext ?? {};
  const sysctls: Record<string, string> = {};
  for (const s of psc.sysctls ?? []) sysctls[s.name] = s.value;
  // host-network sandboxes share the host's UTS namespace: runc refuses to set a hostname there
  const hostname = pod.spec.hostNetwork ? "" : (pod.spec.hostname || md.name || "").slice(0, 63).replace(/\.+$/, "");
  return {
    metadata: { name: md.name!, uid: md.uid!, namespace: md.namespace!, attempt: opts.attempt },
    hostname,
    log_directory: podLogDir(pod, opts.podLogsDir),
    dns_config: podDNSConfig(pod, opts),
    port_mappings: ports,
    labels: { ...(md.labels ?? {}), [LABEL_POD_NAME]: md.name!, [LABEL_POD_NAMESPACE]: md.namespace!, [LABEL_POD_UID]: md.uid! },
    annotations: { ...(md.annotations ?? {}) },
    linux: {
      cgroup_parent: podCgroupParent(pod, opts),
      sysctls,
      security_context: {
        namespace_options: namespaces(pod),
        privileged: allContainers(pod).some((c) => c.securityContext?.privileged),
        run_as_user: psc.runAsUser !== undefined ? { value: psc.runAsUser } : undefined,
        run_as_group: psc.runAsGroup !== undefined ? { value: psc.runAsGroup } : undefined,
        supplemental_groups: [...(psc.supplementalGroups ?? []), ...(psc.fsGroup !== undefined ? [psc.fsGroup] : [])],
        seccomp: psc.seccompProfile ? { profile_type: psc.seccompProfile.type, localhost_ref: psc.seccompProfile.localhostProfile ?? "" } : undefined,
      },
    },
  };
}

function securityContext(pod: KPod, c: ContainerSpec): LinuxContainerSecurityContext {
  const psc: SecurityContext & { fsGroup?: number; supplementalGroups?: number[] } = pod.spec.securityContext ?? {};
  const sc = c.securityContext ?? {};
  const runAsUser = sc.runAsUser ?? psc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? psc.runAsGroup;
  const seccomp = sc.seccompProfile ?? psc.seccompProfile;
  return {
    capabilities: { add_capabilities: sc.capabilities?.add ?? [], drop_capabilities: sc.capabilities?.drop ?? [] },
    privileged: sc.privileged ?? false,
    namespace_options: namespaces(pod),
    run_as_user: runAsUser !== undefined ? { value: runAsUser } : undefined,
    run_as_group: runAsGroup !== undefined ? { value: runAsGroup } : undefined,
    readonly_rootfs: sc.readOnlyRootFilesystem ?? false,
    supplemental_groups: [...(psc.supplementalGroups ?? []), ...(psc.fsGroup !== undefined ? [psc.fsGroup] : [])],
    no_new_privs: sc.allowPrivilegeEscalation === false,
    seccomp: seccomp ? { profile_type: seccomp.type, localhost_ref: seccomp.localhostProfile ?? "" } : undefined,
  };
}

/** CFS and memory settings from requests/limits (cgroup v1 semantics, as upstream). */
export function containerResources(c: ContainerSpec): { cpu_shares: string; cpu_quota: string; cpu_period: string; memory_limit_in_bytes: string } {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuReq = req.cpu ?? lim.cpu;
  const shares = cpuReq ? Math.max(2, Math.floor(parseQuantity(cpuReq) * 1024)) : 2;
  const quota = lim.cpu ? Math.max(1000, Math.floor(parseQuantity(lim.cpu) * 100_000)) : 0;
  const mem = lim.memory ? Math.floor(parseQuantity(lim.memory)) : 0;
  return { cpu_shares: String(shares), cpu_quota: String(quota), cpu_period: quota ? "100000" : "0", memory_limit_in_bytes: String(mem) };
}

/** What a container config needs besides the specs. */
export interface ContainerContext {
  container: ContainerSpec;
  attempt: number;
  env: [string, string][];
  /** volume name → host path */
  volumes: Map<string, string>;
  /** host file mounted at terminationMessagePath */
  terminationMessageFile?: string;
  image: string;
  /** the node's memory in bytes, for Burstable OOM scores; default the machine's */
  memoryCapacity?: number;
}

/** The container's oom_score_adj by QoS as upstream: Guaranteed -997, BestEffort 1000, Burstable by its share of the node's memory (3..999). */
export function oomScoreAdj(pod: KPod, opts: { container: ContainerSpec; memoryCapacity: number }): number {
  const qos = qosClass(pod);
  if (qos === "Guaranteed") return -997;
  if (qos === "BestEffort") return 1000;
  const req = opts.container.resources?.requests?.memory ?? opts.container.resources?.limits?.memory;
  const adj = 1000 - Math.floor((1000 * (req ? parseQuantity(req) : 0)) / opts.memoryCapacity);
  if (adj < 3) return 3;
  return adj === 1000 ? 999 : adj;
}

/** The CreateContainer config for one container. */
export function containerConfig(pod: KPod, ctx: ContainerContext): ContainerConfig {
  const c = ctx.container;
  const vars = Object.fromEntries(ctx.env);
  const mounts: Mount[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const host = ctx.volumes.get(vm.name);
    if (!host) throw new Error(`volume ${JSON.stringify(vm.name)} of container ${c.name} not found`);
    const sub = vm.subPath ? expandVars(vm.subPath, vars) : "";
    if (sub.split("/").includes("..") || sub.startsWith("/")) throw new Error(`invalid subPath ${JSON.stringify(sub)}`);
    mounts.push({
      container_path: vm.mountPath,
      host_path: sub ? join(host, sub) : host,
      // a claim mounted readOnly in the pod's volume list is read-only in every container
      readonly: (vm.readOnly ?? false) || pod.spec.volumes?.find((v) => v.name === vm.name)?.persistentVolumeClaim?.readOnly === true,
      propagation: vm.mountPropagation === "Bidirectional" ? "PROPAGATION_BIDIRECTIONAL" : vm.mountPropagation === "HostToContainer" ? "PROPAGATION_HOST_TO_CONTAINER" : "PROPAGATION_PRIVATE",
    });
  }
  if (ctx.terminationMessageFile && !mounts.some((m) => m.container_path === (c.terminationMessagePath ?? "/dev/termination-log"))) {
    mounts.push({ container_path: c.terminationMessagePath ?? "/dev/termination-log", host_path: ctx.terminationMessageFile });
  }
  const md = pod.metadata;
  return {
    metadata: { name: c.name, attempt: ctx.attempt },
    image: { image: ctx.image },
    command: (c.command ?? []).map((s) => expandVars(s, vars)),
    args: (c.args ?? []).map((s) => expandVars(s, vars)),
    working_dir: c.workingDir ?? "",
    envs: ctx.env.map(([key, value]) => ({ key, value })),
    mounts,
    labels: { [LABEL_POD_NAME]: md.name!, [LABEL_POD_NAMESPACE]: md.namespace!, [LABEL_POD_UID]: md.uid!, [LABEL_CONTAINER_NAME]: c.name },
    annotations: {
      [ANNOTATION_RESTART_COUNT]: String(ctx.attempt),
      "io.kubernetes.container.terminationMessagePath": c.terminationMessagePath ?? "/dev/termination-log",
      "io.kubernetes.container.terminationMessagePolicy": c.terminationMessagePolicy ?? "File",
      "io.kubernetes.pod.terminationGracePeriod": String(pod.spec.terminationGracePeriodSeconds ?? 30),
    },
    log_path: `${c.name}/${ctx.attempt}.log`,
    stdin: c.stdin ?? false,
    stdin_once: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: { resources: { ...containerResources(c), oom_score_adj: String(oomScoreAdj(pod, { container: c, memoryCapacity: ctx.memoryCapacity ?? totalmem() })) }, security_context: securityContext(pod, c) },
  };
}

/** The pod's QoS class as upstream defines it. */
export function qosClass(pod: KPod): "Guaranteed" | "Burstable" | "BestEffort" {
  const cs = allContainers(pod);
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ["cpu", "memory"]) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (!l || parseQuantity(l) !== parseQuantity(q)) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

/** The pod cgroup's limits. */
export interface PodCgroupResources {
  cpuShares: number;
  /** CFS quota in µs per cpuPeriod; absent when some container has no CPU limit */
  cpuQuota?: number;
  cpuPeriod?: number;
  /** bytes; absent when some container has no memory limit */
  memoryLimit?: number;
}

/** Pod-level cgroup settings as upstream's ResourceConfigForPod: requests and limits summed over containers, init containers counted by their maximum. */
export function podResources(pod: KPod): PodCgroupResources {
  const effective = (pick: (c: ContainerSpec) => string | undefined): number | undefined => {
    let sum = 0;
    for (const c of pod.spec.containers) {
      const v = pick(c);
      if (v === undefined) return undefined;
      sum += parseQuantity(v);
    }
    let initMax = 0;
    for (const c of pod.spec.initContainers ?? []) {
      const v = pick(c);
      if (v === undefined) return undefined;
      initMax = Math.max(initMax, parseQuantity(v));
    }
    return Math.max(sum, initMax);
  };
  const cpuReq = effective((c) => c.resources?.requests?.cpu ?? c.resources?.limits?.cpu ?? "0");
  const qos = qosClass(pod);
  const out: PodCgroupResources = { cpuShares: qos === "BestEffort" ? 2 : Math.max(2, Math.floor((cpuReq ?? 0) * 1024)) };
  if (qos === "BestEffort") return out;
  const cpuLim = effective((c) => c.resources?.limits?.cpu);
  if (cpuLim !== undefined) {
    out.cpuPeriod = 100_000;
    out.cpuQuota = Math.max(1000, Math.floor(cpuLim * 100_000));
  }
  const memLim = effective((c) => c.resources?.limits?.memory);
  if (memLim !== undefined) out.memoryLimit = Math.floor(memLim);
  return out;
}
