/**
 * TaintNodesByCondition admission (upstream plugin/pkg/admission/nodetaint):
 * a new Node starts with node.kubernetes.io/not-ready:NoSchedule, so no pod
 * lands on it before its kubelet reports Ready; the node lifecycle
 * controller (src/controllers/nodelifecycle) removes the taint then.
 */
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { isCore } from "./common.ts";

/** The taint every new Node gets. */
export const NOT_READY_TAINT = { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" } as const;

interface NodeSpec {
  taints?: { key: string; value?: string; effect: string; timeAdded?: string }[];
}

/** Creates the TaintNodesByCondition admission plugin. */
export function taintNodesByConditionAdmission(): AdmissionHook {
  return {
    async mutate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "CREATE" || !isCore(attrs, "nodes") || !attrs.object) return;
      const spec = (attrs.object.spec ?? {}) as NodeSpec;
      // a taint matches on key and effect, whatever its value
      if ((spec.taints ?? []).some((t) => t.key === NOT_READY_TAINT.key && t.effect === NOT_READY_TAINT.effect)) return;
      spec.taints = [...(spec.taints ?? []), { ...NOT_READY_TAINT }];
      attrs.object.spec = spec;
    },
    async validate(): Promise<void> {},
  };
}
