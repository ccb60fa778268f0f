/** The built-in admission steps every write passes: field validation, defaults, strategy, validation, namespace lifecycle. */
import type { FieldError, StrategyContext } from "../../api/kind.ts";
import type { KubeObject } from "../../api/types.ts";
import { badRequest, failure, ApiStatusError, invalid, notFound, qualified } from "../errors.ts";
import { unknownFields } from "../fieldcheck.ts";
import { storageKey } from "../kinds.ts";
import { validateObjectMeta } from "../objectmeta.ts";
import { decodeStored } from "../storage/codec.ts";
import type { AdmissionAttributes, Call } from "./context.ts";
import { groupResource, isDryRun } from "./common.ts";

/** Runs one phase of the external admission hook, if the server has one. */
export async function externalAdmission(call: Call, a: Pick<AdmissionAttributes, "operation" | "object" | "oldObject"> & { phase: "mutate" | "validate" }): Promise<void> {
  const hook = call.ctx.admission;
  if (!hook) return;
  const name = a.object?.metadata.name ?? a.oldObject?.metadata.name ?? call.info.name;
  const attrs: AdmissionAttributes = { ...a, kind: call.kind, subresource: call.info.subresource, namespace: call.info.namespace, name, user: call.req.user, dryRun: isDryRun(call) };
  await (a.phase === "mutate" ? hook.mutate(attrs) : hook.validate(attrs));
}

/** The strategy context of this call. */
export function strategyContext(call: Call, subresource: string): StrategyContext {
  return { user: call.req.user, subresource, cluster: call.ctx.cluster };
}

/**
 * Applies fieldValidation (default Warn) to a decoded body: Strict rejects
 * unknown fields with 400, Warn returns them as warning texts.
 */
export function checkUnknownFields(call: Call, body: unknown): string[] {
  const mode = call.req.query.get("fieldValidation") ?? "Warn";
  if (mode !== "Ignore" && mode !== "Warn" && mode !== "Strict") {
    throw badRequest(`fieldValidation parameter unsupported: ${JSON.stringify(mode)}, must be one of: Ignore, Warn, Strict`);
  }
  if (mode === "Ignore") return [];
  const unknown = unknownFields(body, { schemaRef: call.kind.schemaRef, registry: call.ctx.schemas });
  if (unknown.length === 0) return [];
  const texts = unknown.map((f) => `unknown field ${JSON.stringify(f)}`);
  if (mode === "Strict") {
    const k = call.kind.kind;
    throw badRequest(`${k} in version ${JSON.stringify(call.kind.version)} cannot be handled as a ${k}: strict decoding error: ${texts.join(", ")}`);
  }
  return texts;
}

/** Runs ObjectMeta and kind validation; throws 422 Invalid with every cause. */
export function validateOrThrow(call: Call, target: { obj: KubeObject; old?: KubeObject; subresource: string }): void {
  const { obj, old, subresource } = target;
  const errs: FieldError[] = subresource === "" ? validateObjectMeta(obj, { namespaced: call.kind.namespaced }) : [];
  if (old?.metadata.deletionTimestamp) {
    const before = new Set(old.metadata.finalizers ?? []);
    if ((obj.metadata.finalizers ?? []).some((f) => !before.has(f))) {
      errs.push({ type: "FieldValueForbidden", field: "metadata.finalizers", message: "Forbidden: no new finalizers can be added if the object is being deleted" });
    }
  }
  if (old && obj.metadata.uid && old.metadata.uid && obj.metadata.uid !== old.metadata.uid) {
    errs.push({ type: "FieldValueInvalid", field: "metadata.uid", message: `Invalid value: ${JSON.stringify(obj.metadata.uid)}: field is immutable` });
  }
  if (call.kind.validate) errs.push(...call.kind.validate(obj, old, strategyContext(call, subresource)));
  if (errs.length) throw invalid({ group: call.kind.group, kind: call.kind.kind }, obj.metadata.name ?? "", errs);
}

/** NamespaceLifecycle: no creates in a missing or terminating namespace. */
export async function checkNamespaceLifecycle(call: Call, obj: KubeObject): Promise<void> {
  if (!call.kind.namespaced) return;
  const ns = call.info.namespace;
  if (!call.ctx.kinds.lookup("", "v1", "namespaces")) return;
  const res = await call.ctx.backend.get(storageKey({ group: "", resource: "namespaces", namespaced: false }, { name: ns }));
  if (!res.kv) throw notFound({ group: "", resource: "namespaces" }, ns);
  const nsObj = decodeStored(res.kv);
  const phase = (nsObj.status as { phase?: string } | undefined)?.phase;
  if (nsObj.metadata.deletionTimestamp || phase === "Terminating") {
    const gr = groupResource(call);
    const why = `unable to create new content in namespace ${ns} because it is being terminated`;
    throw new ApiStatusError(
      failure(403, {
        reason: "Forbidden",
        message: `${qualified(gr)} "${obj.metadata.name ?? ""}" is forbidden: ${why}`,
        details: {
          name: obj.metadata.name,
          ...(gr.group ? { group: gr.group } : {}),
          kind: gr.resource,
          causes: [{ reason: "NamespaceTerminating", message: why, field: "metadata.namespace" }],
        },
      }),
    );
  }
}
