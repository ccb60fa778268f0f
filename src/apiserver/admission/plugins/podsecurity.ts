/**
 * PodSecurity admission (upstream k8s.io/pod-security-admission): the
 * namespace's pod-security.kubernetes.io/enforce level refuses pods that break
 * it (403, upstream's `violates PodSecurity "<level>:<version>": ...`); the
 * warn level returns a Warning (`would violate PodSecurity ...`) where the
 * request can carry one; audit has no audit log to go to here.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { Client } from "../../../client/client.ts";
import type { SharedInformerFactory } from "../../../client/factory.ts";
import { Lister } from "../../../client/lister.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { addWarning, admissionForbidden, getOrUndefined, isCore, podSpec, REFS } from "./common.ts";
import { describeFailures, evaluatePod, type Level } from "./podsecuritychecks.ts";

const PREFIX = "pod-security.kubernetes.io/";
const LEVELS = new Set<Level>(["privileged", "baseline", "restricted"]);

export interface PodSecurityOptions {
  /** reads a namespace live when the cache misses it */
  client: Client;
  informers: SharedInformerFactory;
  /** levels for namespaces without labels (default privileged for all three, as k3s) */
  defaults?: Partial<Record<"enforce" | "warn" | "audit", Level>>;
  /** namespaces exempt from every level */
  exemptNamespaces?: string[];
}

/** One mode's level and version for a namespace. */
export interface ModePolicy {
  level: Level;
  version: string;
}

/** Reads one mode's policy from namespace labels; an unknown level counts as restricted (as upstream fails closed). */
export function modePolicy(labels: Record<string, string>, mode: { name: "enforce" | "warn" | "audit"; fallback: Level }): ModePolicy {
  const raw = labels[PREFIX + mode.name];
  const level: Level = raw === undefined ? mode.fallback : LEVELS.has(raw as Level) ? (raw as Level) : "restricted";
  const version = labels[`${PREFIX}${mode.name}-version`] || "latest";
  return { level, version };
}

/** Only image changes and added or removed containers make a pod update worth re-checking (upstream's isSignificantPodUpdate). */
function significantUpdate(pod: KubeObject, old: KubeObject): boolean {
  const a = podSpec(pod);
  const b = podSpec(old);
  for (const key of ["containers", "initContainers"] as const) {
    const x = a[key] ?? [];
    const y = b[key] ?? [];
    if (x.length !== y.length) return true;
    if (x.some((c, i) => c.image !== y[i].image)) return true;
  }
  return false;
}

/** Creates the PodSecurity admission plugin. */
export function podSecurityAdmission(opts: PodSecurityOptions): AdmissionHook {
  const lister = new Lister(opts.informers.informerFor(REFS.namespaces));
  const exempt = new Set(opts.exemptNamespaces ?? []);

  async function labelsOf(namespace: string): Promise<Record<string, string>> {
    const ns = lister.get(undefined, namespace) ?? (await getOrUndefined(opts.client, { ref: REFS.namespaces, name: namespace }));
    return ns?.metadata.labels ?? {};
  }

  return {
    async mutate(): Promise<void> {},
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (!isCore(attrs, "pods") || !attrs.object || exempt.has(attrs.namespace)) return;
      if (attrs.operation !== "CREATE" && !(attrs.operation === "UPDATE" && attrs.oldObject && significantUpdate(attrs.object, attrs.oldObject))) return;
      const labels = await labelsOf(attrs.namespace);
      const pod = { spec: podSpec(attrs.object), annotations: attrs.object.metadata.annotations ?? {} };
      const enforce = modePolicy(labels, { name: "enforce", fallback: opts.defaults?.enforce ?? "privileged" });
      const failed = evaluatePod(enforce.level, pod);
      if (failed.length) throw admissionForbidden(attrs, `violates PodSecurity "${enforce.level}:${enforce.version}": ${describeFailures(failed)}`);
      const warn = modePolicy(labels, { name: "warn", fallback: opts.defaults?.warn ?? "privileged" });
      const warned = evaluatePod(warn.level, pod);
      if (warned.length) addWarning(attrs, `would violate PodSecurity "${warn.level}:${warn.version}": ${describeFailures(warned)}`);
    },
  };
}
