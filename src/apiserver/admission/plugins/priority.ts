/**
 * Priority admission (upstream plugin/pkg/admission/priority): a new Pod's
 * spec.priorityClassName is resolved to spec.priority and
 * spec.preemptionPolicy from its PriorityClass (no name: the globalDefault
 * class if one exists, else priority 0 and PreemptLowerPriority); a class
 * that does not exist, or a priority/policy the user set that differs from
 * the class's, is 403. Updates keep what creation resolved. PriorityClass
 * writes may not add a second globalDefault.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { Client } from "../../../client/client.ts";
import type { SharedInformerFactory } from "../../../client/factory.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { admissionForbidden, isCore, isResource, podSpec, REFS } from "./common.ts";
import { ClusterLookup } from "./lookup.ts";

/** The priority of a pod when no class is named and no class is the global default (upstream's DefaultPriorityWhenNoDefaultClassExists). */
const DEFAULT_PRIORITY = 0;
const DEFAULT_PREEMPTION = "PreemptLowerPriority";

export interface PriorityAdmissionOptions {
  /** reads PriorityClasses live when the cache misses */
  client: Client;
  informers: SharedInformerFactory;
}

/** The fields of a PriorityClass the plugin reads. */
export interface PriorityClass extends KubeObject {
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

/** What a pod's class resolves to. */
interface Resolved {
  className: string;
  priority: number;
  preemptionPolicy?: string;
}

/** The global default class; with several (a race upstream also allows for), the lowest value wins. */
export function globalDefault(classes: PriorityClass[]): PriorityClass | undefined {
  let best: PriorityClass | undefined;
  for (const pc of classes) {
    if (pc.globalDefault !== true) continue;
    if (!best || (best.value ?? 0) > (pc.value ?? 0)) best = pc;
  }
  return best;
}

/** Creates the Priority admission plugin. */
export function priorityAdmission(opts: PriorityAdmissionOptions): AdmissionHook {
  const classes = new ClusterLookup<PriorityClass>(opts.informers.informerFor<PriorityClass>(REFS.priorityclasses), { client: opts.client, ref: REFS.priorityclasses });

  async function resolve(attrs: AdmissionAttributes, className: string | undefined): Promise<Resolved> {
    if (!className) {
      const def = globalDefault(await classes.list());
      if (!def) return { className: "", priority: DEFAULT_PRIORITY, preemptionPolicy: DEFAULT_PREEMPTION };
      return { className: def.metadata.name ?? "", priority: def.value ?? 0, preemptionPolicy: def.preemptionPolicy };
    }
    const pc = await classes.get(className);
    if (!pc) throw admissionForbidden(attrs, `no PriorityClass with name ${className} was found`);
    return { className, priority: pc.value ?? 0, preemptionPolicy: pc.preemptionPolicy };
  }

  async function admitNewPod(attrs: AdmissionAttributes, pod: KubeObject): Promise<void> {
    const spec = podSpec(pod);
    const r = await resolve(attrs, spec.priorityClassName);
    // upstream records the default class's name; "" (no default class) is simply absent
    if (r.className) spec.priorityClassName = r.className;
    else delete spec.priorityClassName;
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== r.priority) {
      throw admissionForbidden(
        attrs,
        `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${r.priority} from the given PriorityClass name`,
      );
    }
    spec.priority = r.priority;
    if (r.preemptionPolicy !== undefined) {
      if (spec.preemptionPolicy && spec.preemptionPolicy !== r.preemptionPolicy) {
        throw admissionForbidden(
          attrs,
          `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${r.preemptionPolicy} from the given PriorityClass name`,
        );
      }
      spec.preemptionPolicy = r.preemptionPolicy;
    }
    pod.spec = spec;
  }

  return {
    async mutate(attrs: AdmissionAttributes): Promise<void> {
      if (!isCore(attrs, "pods") || !attrs.object) return;
      if (attrs.operation === "CREATE") return admitNewPod(attrs, attrs.object);
      if (attrs.operation !== "UPDATE" || !attrs.oldObject) return;
      // what creation resolved stays: a client sending the pod back without these fields changes nothing
      const spec = podSpec(attrs.object);
      const old = podSpec(attrs.oldObject);
      if (spec.priority === undefined && old.priority !== undefined) spec.priority = old.priority;
      if (spec.preemptionPolicy === undefined && old.preemptionPolicy !== undefined) spec.preemptionPolicy = old.preemptionPolicy;
    },
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (!isResource(attrs, "scheduling.k8s.io", "priorityclasses") || !attrs.object) return;
      if (attrs.operation !== "CREATE" && attrs.operation !== "UPDATE") return;
      const pc = attrs.object as PriorityClass;
      if (pc.globalDefault !== true) return;
      const current = globalDefault(await classes.list());
      if (!current) return;
      if (attrs.operation === "CREATE" || current.metadata.name !== pc.metadata.name) {
        throw admissionForbidden(attrs, `PriorityClass ${current.metadata.name} is already marked as default. Only one default can exist`);
      }
    },
  };
}
