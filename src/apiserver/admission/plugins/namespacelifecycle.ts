/**
 * NamespaceLifecycle admission, the part the REST core does not already do
 * (it refuses creates in a missing or terminating namespace): the immortal
 * namespaces default, kube-system and kube-public may not be deleted, as
 * upstream's plugin/pkg/admission/namespace/lifecycle refuses.
 */
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { forbidden } from "../../errors.ts";
import { isCore } from "./common.ts";

/** The namespaces upstream never lets go of. */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(["default", "kube-system", "kube-public"]);

/** Creates the NamespaceLifecycle admission plugin (deletion half). */
export function namespaceLifecycleAdmission(): AdmissionHook {
  return {
    async mutate(): Promise<void> {},
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "DELETE" || !isCore(attrs, "namespaces")) return;
      const name = attrs.name || attrs.oldObject?.metadata.name || "";
      // upstream answers with errors.NewForbidden here, not admission.NewForbidden: the same words
      if (IMMORTAL_NAMESPACES.has(name)) throw forbidden({ group: "", resource: "namespaces" }, name, "this namespace may not be deleted");
    },
  };
}
