/**
 * The Pod Security Standards checks (upstream k8s.io/pod-security-admission
 * policy/check_*.go, "latest" version): each returns upstream's reason and
 * detail text when a pod spec breaks it. Results are reported in check-id
 * order, as upstream's registry does.
 */
import type { Container, PodSpec, SecurityContext } from "./common.ts";

export type Level = "privileged" | "baseline" | "restricted";

/** One failed check: upstream's forbidden reason and detail. */
export interface CheckResult {
  reason: string;
  detail: string;
}

interface Check {
  id: string;
  level: "baseline" | "restricted";
  /** checks a restricted check replaces at the restricted level */
  overrides?: string[];
  run(spec: PodSpec, metaAnnotations: Record<string, string>): CheckResult | undefined;
}

interface Named {
  name: string;
  c: Container;
}

function allContainers(spec: PodSpec): Named[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => ({ name: c.name, c }));
}

function quote(names: string[]): string {
  return names.map((n) => JSON.stringify(n)).join(", ");
}

/** `container "a"` / `containers "a", "b"` */
function pluralize(singular: string, plural: string, names: string[]): string {
  return `${names.length === 1 ? singular : plural} ${quote(names)}`;
}

const BASELINE_CAPS = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
]);
const RESTRICTED_VOLUMES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);

function sc(c: Container): SecurityContext {
  return c.securityContext ?? {};
}

function capsAdded(list: Named[], allowed: (cap: string) => boolean): CheckResult | undefined {
  const bad: string[] = [];
  const caps = new Set<string>();
  for (const { name, c } of list) {
    const added = (sc(c).capabilities?.add ?? []).filter((x) => !allowed(x));
    if (added.length) {
      bad.push(name);
      for (const a of added) caps.add(a);
    }
  }
  if (!bad.length) return undefined;
  return { reason: "", detail: `${pluralize("container", "containers", bad)} must not include ${quote([...caps].sort())} in securityContext.capabilities.add` };
}

const CHECKS: Check[] = [
  {
    id: "allowPrivilegeEscalation",
    level: "restricted",
    run(spec) {
      const bad = allContainers(spec).filter(({ c }) => sc(c).allowPrivilegeEscalation !== false).map((x) => x.name);
      if (!bad.length) return undefined;
      return { reason: "allowPrivilegeEscalation != false", detail: `${pluralize("container", "containers", bad)} must set securityContext.allowPrivilegeEscalation=false` };
    },
  },
  {
    id: "appArmorProfile",
    level: "baseline",
    run(spec, annotations) {
      const bad = new Set<string>();
      const ok = (t: string | undefined) => t === undefined || t === "RuntimeDefault" || t === "Localhost";
      if (!ok(spec.securityContext?.appArmorProfile?.type)) bad.add(`pod must not set securityContext.appArmorProfile.type to ${JSON.stringify(spec.securityContext?.appArmorProfile?.type)}`);
      const containers = allContainers(spec).filter(({ c }) => !ok(sc(c).appArmorProfile?.type)).map((x) => x.name);
      if (containers.length) bad.add(`${pluralize("container", "containers", containers)} must not set securityContext.appArmorProfile.type to "Unconfined"`);
      for (const [k, v] of Object.entries(annotations)) {
        if (k.startsWith("container.apparmor.security.beta.kubernetes.io/") && v !== "runtime/default" && !v.startsWith("localhost/")) bad.add(`${k}=${JSON.stringify(v)}`);
      }
      if (!bad.size) return undefined;
      return { reason: "forbidden AppArmor profile", detail: [...bad].join(", ") };
    },
  },
  {
    id: "capabilities_baseline",
    level: "baseline",
    run(spec) {
      const r = capsAdded(allContainers(spec), (cap) => BASELINE_CAPS.has(cap));
      return r && { reason: "non-default capabilities", detail: r.detail };
    },
  },
  {
    id: "capabilities_restricted",
    level: "restricted",
    overrides: ["capabilities_baseline"],
    run(spec) {
      const list = allContainers(spec);
      const details: string[] = [];
      const noDrop = list.filter(({ c }) => !(sc(c).capabilities?.drop ?? []).includes("ALL")).map((x) => x.name);
      if (noDrop.length) details.push(`${pluralize("container", "containers", noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      const added = capsAdded(list, (cap) => cap === "NET_BIND_SERVICE");
      if (added) details.push(added.detail);
      if (!details.length) return undefined;
      return { reason: "unrestricted capabilities", detail: details.join("; ") };
    },
  },
  {
    id: "hostNamespaces",
    level: "baseline",
    run(spec) {
      const set: string[] = [];
      if (spec.hostNetwork) set.push("hostNetwork=true");
      if (spec.hostPID) set.push("hostPID=true");
      if (spec.hostIPC) set.push("hostIPC=true");
      return set.length ? { reason: "host namespaces", detail: set.join(", ") } : undefined;
    },
  },
  {
    id: "hostPathVolumes",
    level: "baseline",
    run(spec) {
      const bad = (spec.volumes ?? []).filter((v) => v.hostPath !== undefined).map((v) => v.name);
      if (!bad.length) return undefined;
      return { reason: "hostPath volumes", detail: `${bad.length === 1 ? "volume" : "volumes"} ${quote(bad)}` };
    },
  },
  {
    id: "hostPorts",
    level: "baseline",
    run(spec) {
      const containers: string[] = [];
      const ports = new Set<number>();
      for (const { name, c } of allContainers(spec)) {
        const hp = (c.ports ?? []).map((p) => p.hostPort ?? 0).filter((p) => p !== 0);
        if (hp.length) {
          containers.push(name);
          for (const p of hp) ports.add(p);
        }
      }
      if (!containers.length) return undefined;
      const portText = `${ports.size === 1 ? "hostPort" : "hostPorts"} ${[...ports].join(", ")}`;
      return { reason: "hostPort", detail: `${pluralize("container", "containers", containers)} ${containers.length === 1 ? "uses" : "use"} ${portText}` };
    },
  },
  {
    id: "privileged",
    level: "baseline",
    run(spec) {
      const bad = allContainers(spec).filter(({ c }) => sc(c).privileged === true).map((x) => x.name);
      if (!bad.length) return undefined;
      return { reason: "privileged", detail: `${pluralize("container", "containers", bad)} must not set securityContext.privileged=true` };
    },
  },
  {
    id: "procMount",
    level: "baseline",
    run(spec) {
      const bad = allContainers(spec).filter(({ c }) => sc(c).procMount !== undefined && sc(c).procMount !== "Default").map((x) => x.name);
      if (!bad.length) return undefined;
      return { reason: "procMount", detail: `${pluralize("container", "containers", bad)} must not set securityContext.procMount to "Unmasked"` };
    },
  },
  {
    id: "restrictedVolumes",
    level: "restricted",
    overrides: ["hostPathVolumes"],
    run(spec) {
      const bad: string[] = [];
      const types = new Set<string>();
      for (const v of spec.volumes ?? []) {
        const source = Object.keys(v).find((k) => k !== "name");
        if (source && !RESTRICTED_VOLUMES.has(source)) {
          bad.push(v.name);
          types.add(source);
        }
      }
      if (!bad.length) return undefined;
      return { reason: "restricted volume types", detail: `${bad.length === 1 ? "volume" : "volumes"} ${quote(bad)} ${bad.length === 1 ? "uses" : "use"} restricted volume ${types.size === 1 ? "type" : "types"} ${quote([...types].sort())}` };
    },
  },
  {
    id: "runAsNonRoot",
    level: "restricted",
    run(spec) {
      const podSet = spec.securityContext?.runAsNonRoot;
      if (podSet === false) return { reason: "runAsNonRoot != true", detail: "pod must not set securityContext.runAsNonRoot=false" };
      const explicitFalse = allContainers(spec).filter(({ c }) => sc(c).runAsNonRoot === false).map((x) => x.name);
      if (explicitFalse.length) return { reason: "runAsNonRoot != true", detail: `${pluralize("container", "containers", explicitFalse)} must not set securityContext.runAsNonRoot=false` };
      if (podSet === true) return undefined;
      const unset = allContainers(spec).filter(({ c }) => sc(c).runAsNonRoot !== true).map((x) => x.name);
      if (!unset.length) return undefined;
      return { reason: "runAsNonRoot != true", detail: `pod or ${pluralize("container", "containers", unset)} must set securityContext.runAsNonRoot=true` };
    },
  },
  {
    id: "runAsUser",
    level: "restricted",
    run(spec) {
      const details: string[] = [];
      if (spec.securityContext?.runAsUser === 0) details.push("pod must not set runAsUser=0");
      const bad = allContainers(spec).filter(({ c }) => sc(c).runAsUser === 0).map((x) => x.name);
      if (bad.length) details.push(`${pluralize("container", "containers", bad)} must not set runAsUser=0`);
      return details.length ? { reason: "runAsUser=0", detail: details.join("; ") } : undefined;
    },
  },
  {
    id: "seccompProfile_baseline",
    level: "baseline",
    run(spec) {
      const details: string[] = [];
      if (spec.securityContext?.seccompProfile?.type === "Unconfined") details.push('pod must not set securityContext.seccompProfile.type to "Unconfined"');
      const bad = allContainers(spec).filter(({ c }) => sc(c).seccompProfile?.type === "Unconfined").map((x) => x.name);
      if (bad.length) details.push(`${pluralize("container", "containers", bad)} must not set securityContext.seccompProfile.type to "Unconfined"`);
      return details.length ? { reason: "seccompProfile", detail: details.join("; ") } : undefined;
    },
  },
  {
    id: "seccompProfile_restricted",
    level: "restricted",
    overrides: ["seccompProfile_baseline"],
    run(spec) {
      const ok = (t: string | undefined) => t === "RuntimeDefault" || t === "Localhost";
      const podType = spec.securityContext?.seccompProfile?.type;
      const details: string[] = [];
      if (podType !== undefined && !ok(podType)) details.push(`pod must not set securityContext.seccompProfile.type to ${JSON.stringify(podType)}`);
      const explicit = allContainers(spec).filter(({ c }) => sc(c).seccompProfile?.type !== undefined && !ok(sc(c).seccompProfile?.type)).map((x) => x.name);
      if (explicit.length) details.push(`${pluralize("container", "containers", explicit)} must not set securityContext.seccompProfile.type to "Unconfined"`);
      if (!ok(podType)) {
        const unset = allContainers(spec).filter(({ c }) => sc(c).seccompProfile?.type === undefined).map((x) => x.name);
        if (unset.length) details.push(`pod or ${pluralize("container", "containers", unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
      }
      return details.length ? { reason: "seccompProfile", detail: details.join("; ") } : undefined;
    },
  },
  {
    id: "seLinuxOptions",
    level: "baseline",
    run(spec) {
      const okType = (t: string | undefined) => t === undefined || t === "" || t === "container_t" || t === "container_init_t" || t === "container_kvm_t" || t === "container_engine_t";
      const bad = (o: SecurityContext["seLinuxOptions"]) => o !== undefined && (!okType(o.type) || !!o.user || !!o.role);
      const details: string[] = [];
      if (bad(spec.securityContext?.seLinuxOptions)) details.push("pod must not set securityContext.seLinuxOptions");
      const cs = allContainers(spec).filter(({ c }) => bad(sc(c).seLinuxOptions)).map((x) => x.name);
      if (cs.length) details.push(`${pluralize("container", "containers", cs)} must not set securityContext.seLinuxOptions`);
      return details.length ? { reason: "seLinuxOptions", detail: details.join("; ") } : undefined;
    },
  },
  {
    id: "sysctls",
    level: "baseline",
    run(spec) {
      const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !SAFE_SYSCTLS.has(n));
      return bad.length ? { reason: "forbidden sysctls", detail: bad.join(", ") } : undefined;
    },
  },
  {
    id: "windowsHostProcess",
    level: "baseline",
    run(spec) {
      const on = spec.securityContext?.windowsOptions?.hostProcess === true || allContainers(spec).some(({ c }) => sc(c).windowsOptions?.hostProcess === true);
      return on ? { reason: "hostProcess", detail: "pod or containers must not set securityContext.windowsOptions.hostProcess=true" } : undefined;
    },
  },
];

/** Every check of `level` that the pod spec fails, in check-id order. */
export function evaluatePod(level: Level, pod: { spec: PodSpec; annotations: Record<string, string> }): CheckResult[] {
  if (level === "privileged") return [];
  const active = CHECKS.filter((c) => c.level === "baseline" || level === "restricted");
  const overridden = new Set(active.flatMap((c) => c.overrides ?? []));
  return active
    .filter((c) => !overridden.has(c.id))
    .map((c) => c.run(pod.spec, pod.annotations))
    .filter((r): r is CheckResult => r !== undefined);
}

/** "reason (detail), reason (detail)", as upstream joins forbidden reasons. */
export function describeFailures(results: CheckResult[]): string {
  return results.map((r) => (r.detail ? `${r.reason} (${r.detail})` : r.reason)).join(", ");
}
