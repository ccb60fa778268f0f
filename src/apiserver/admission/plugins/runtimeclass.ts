/**
 * RuntimeClass admission (upstream plugin/pkg/admission/runtimeclass): a new
 * Pod that names spec.runtimeClassName gets the class's overhead.podFixed as
 * spec.overhead and its scheduling.nodeSelector and tolerations merged in;
 * an unknown class, an overhead the class does not define, or a node
 * selector value that contradicts the class's is 403 in upstream's words.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { Client } from "../../../client/client.ts";
import type { SharedInformerFactory } from "../../../client/factory.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { admissionForbidden, isCore, podSpec, REFS, type PodSpec, type ResourceList, type Toleration } from "./common.ts";
import { ClusterLookup } from "./lookup.ts";
import { milliOf } from "./quantity.ts";
import { mergeTolerations } from "./tolerationmerge.ts";

export interface RuntimeClassAdmissionOptions {
  client: Client;
  informers: SharedInformerFactory;
}

/** The fields of a RuntimeClass the plugin reads. */
export interface RuntimeClass extends KubeObject {
  handler?: string;
  overhead?: { podFixed?: ResourceList };
  scheduling?: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
}

const OVERHEAD_MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";

/** Whether two resource lists hold the same quantities (upstream's semantic equality). */
export function sameResources(a: ResourceList | undefined, b: ResourceList | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => b?.[k] !== undefined && milliOf(a![k]) === milliOf(b[k]));
}

/** Sets the overhead and merges the scheduling constraints; the reason to refuse, if any. */
export function applyRuntimeClass(spec: PodSpec, rc: RuntimeClass): string | undefined {
  const fixed = rc.overhead?.podFixed;
  if (fixed) {
    if (spec.overhead && Object.keys(spec.overhead).length > 0 && !sameResources(fixed, spec.overhead)) return OVERHEAD_MISMATCH;
    spec.overhead = { ...fixed };
  }
  const sched = rc.scheduling;
  if (!sched) return undefined;
  const selector = { ...(spec.nodeSelector ?? {}) };
  for (const [key, value] of Object.entries(sched.nodeSelector ?? {})) {
    const mine = selector[key];
    if (mine !== undefined && mine !== value) return `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${mine}`;
    selector[key] = value;
  }
  if (Object.keys(selector).length > 0) spec.nodeSelector = selector;
  const tolerations = mergeTolerations(spec.tolerations ?? [], sched.tolerations ?? []);
  if (tolerations.length > 0) spec.tolerations = tolerations;
  return undefined;
}

/** Creates the RuntimeClass admission plugin. */
export function runtimeClassAdmission(opts: RuntimeClassAdmissionOptions): AdmissionHook {
  const classes = new ClusterLookup<RuntimeClass>(opts.informers.informerFor<RuntimeClass>(REFS.runtimeclasses), { client: opts.client, ref: REFS.runtimeclasses });

  /** The pod's class (undefined when it names none); an unknown class is refused. */
  async function classOf(attrs: AdmissionAttributes, spec: PodSpec): Promise<RuntimeClass | undefined> {
    const name = spec.runtimeClassName;
    if (!name) return undefined;
    const rc = await classes.get(name);
    if (!rc) throw admissionForbidden(attrs, `pod rejected: RuntimeClass "${name}" not found`);
    return rc;
  }

  const applies = (attrs: AdmissionAttributes): boolean => attrs.operation === "CREATE" && isCore(attrs, "pods") && attrs.object !== undefined;

  return {
    async mutate(attrs: AdmissionAttributes): Promise<void> {
      if (!applies(attrs)) return;
      const spec = podSpec(attrs.object!);
      const rc = await classOf(attrs, spec);
      if (!rc) return;
      const why = applyRuntimeClass(spec, rc);
      if (why) throw admissionForbidden(attrs, why);
      attrs.object!.spec = spec;
    },
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (!applies(attrs)) return;
      // a later mutating webhook may have changed the overhead: it must still be the class's, and only a class gives one
      const spec = podSpec(attrs.object!);
      const rc = await classOf(attrs, spec);
      const fixed = rc?.overhead?.podFixed;
      if (fixed && !sameResources(fixed, spec.overhead)) throw admissionForbidden(attrs, OVERHEAD_MISMATCH);
      if (!fixed && spec.overhead !== undefined) throw admissionForbidden(attrs, "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead");
    },
  };
}
