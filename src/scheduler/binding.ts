/**
 * pods/binding for the API server (the REST core serves it through a
 * subresource hook): sets spec.nodeName once, with the PodScheduled
 * condition, straight in storage because pod updates may not change it.
 * Register with `api.registerSubresource("pods", "binding", createBindingHandler(backend))`.
 */
import { ConflictError, type Backend } from "../datastore/backend.ts";
import type { KubeObject, Status } from "../api/types.ts";
import type { ApiResponse } from "../apiserver/request.ts";
import type { SubresourceHandler } from "../apiserver/server.ts";
import { storageKey } from "../apiserver/kinds.ts";
import { decodeStored, encodeStored } from "../apiserver/storage/codec.ts";

function status(code: number, reason: string, message: string, name?: string): ApiResponse {
  const body: Status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: code < 400 ? "Success" : "Failure",
    ...(code < 400 ? {} : { message, reason, details: { name, kind: "pods" } }),
    code,
  };
  return { status: code, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(body)) };
}

const nowISO = (): string => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/** The binding subresource over a backend. */
export function createBindingHandler(backend: Backend): SubresourceHandler {
  return async (req, ctx) => {
    if (req.method !== "POST") return status(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
    let binding: KubeObject & { target?: { name?: string; kind?: string } };
    try {
      binding = JSON.parse((req.body ?? Buffer.from("{}")).toString("utf8")) as typeof binding;
    } catch (err) {
      return status(400, "BadRequest", `invalid binding body: ${(err as Error).message}`);
    }
    const namespace = ctx.info.namespace ?? "";
    const name = ctx.info.name ?? "";
    const nodeName = binding.target?.name;
    if (!nodeName) return status(422, "Invalid", `Binding.core "${name}" is invalid: target.name: Required value`, name);
    const key = storageKey(ctx.kind, { namespace, name });
    for (let attempt = 0; attempt < 5; attempt++) {
      const { kv } = await backend.get(key);
      if (!kv) return status(404, "NotFound", `pods "${name}" not found`, name);
      const pod = decodeStored(kv);
      const uid = binding.metadata?.uid;
      if (uid && pod.metadata.uid !== uid) return status(409, "Conflict", `Operation cannot be fulfilled on pods/binding "${name}": the UID in the precondition (${uid}) does not match the UID in record (${pod.metadata.uid}). The object might have been deleted and then recreated`, name);
      if (pod.metadata.deletionTimestamp) return status(409, "Conflict", `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is being deleted, cannot be assigned to a host`, name);
      const spec = (pod.spec ?? {}) as { nodeName?: string };
      if (spec.nodeName) return status(409, "Conflict", `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${spec.nodeName}"`, name);
      spec.nodeName = nodeName;
      pod.spec = spec;
      const st = (pod.status ?? {}) as { conditions?: { type: string; status: string; lastProbeTime?: null; lastTransitionTime?: string }[] };
      const conds = (st.conditions ?? []).filter((c) => c.type !== "PodScheduled");
      conds.push({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: nowISO() });
      pod.status = { ...st, conditions: conds };
      try {
        await backend.update(key, encodeStored(pod), kv.modRevision);
        return status(201, "", "");
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    return status(409, "Conflict", `Operation cannot be fulfilled on pods "${name}": the object has been modified; please apply your changes to the latest version and try again`, name);
  };
}
