/** Combines admission hooks into one, as kube-apiserver runs its plugin list: every mutating phase in order, then every validating phase in order. */
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";

/** One hook running each member's mutate in list order, then each member's validate in list order; the first to throw refuses. */
export function chainAdmission(hooks: AdmissionHook[]): AdmissionHook {
  const members = [...hooks];
  return {
    async mutate(attrs: AdmissionAttributes): Promise<void> {
      for (const h of members) await h.mutate(attrs);
    },
    async validate(attrs: AdmissionAttributes): Promise<void> {
      for (const h of members) await h.validate(attrs);
    },
  };
}
