/** PATCH of an object or its status: picks the patch type from Content-Type and updates through guaranteedUpdate. */
import type { KubeObject } from "../../api/types.ts";
import { ApiStatusError, badRequest, failure } from "../errors.ts";
import { parseJson, parseMediaTypes, parseYamlBody } from "../negotiation.ts";
import { apiVersionOf } from "../kinds.ts";
import { checkUnknownFields } from "./admission.ts";
import type { Call, Reply } from "./context.ts";
import type { PatchKind } from "./patchtypes.ts";
import { fieldManagerOf, guaranteedUpdate } from "./write.ts";

const PATCH_TYPES: Record<string, PatchKind> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};

/** Custom resources (schemas not from k8s.io) do not take strategic merge patches, as upstream. */
function takesStrategic(call: Call): boolean {
  return call.kind.schemaRef.startsWith("io.k8s.");
}

function unsupportedPatch(call: Call, type: string): ApiStatusError {
  const accepted = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];
  if (takesStrategic(call)) accepted.splice(2, 0, "application/strategic-merge-patch+json");
  return new ApiStatusError(
    failure(415, { reason: "UnsupportedMediaType", message: `the body of the request was in an unknown format (${JSON.stringify(type)}) - accepted media types include: ${accepted.join(", ")}` }),
  );
}

/** Converts a thrown patch error (src/apiserver/patch's PatchError) into a Status. */
function asStatusError(err: unknown): unknown {
  if (err instanceof ApiStatusError || !(err instanceof Error)) return err;
  const e = err as Error & { code?: unknown; reason?: unknown; causes?: unknown };
  if (typeof e.code === "number" && typeof e.reason === "string") {
    const s = failure(e.code, { reason: e.reason, message: e.message });
    if (Array.isArray(e.causes)) s.details = { causes: e.causes };
    return new ApiStatusError(s);
  }
  return err;
}

/** The patch type and parsed document of the request. */
export function patchDocument(call: Call): { type: PatchKind; doc: unknown } {
  const ct = parseMediaTypes(call.req.headers["content-type"])[0]?.type ?? "";
  const type = PATCH_TYPES[ct];
  if (!type || (type === "strategic" && !takesStrategic(call))) throw unsupportedPatch(call, ct);
  const body = call.req.body ?? Buffer.alloc(0);
  const doc = type === "apply" ? parseYamlBody(body) : parseJson(body);
  return { type, doc };
}

/** Applies a patch document of a given type to a current object. */
export function runPatch(call: Call, p: { type: PatchKind; doc: unknown; current: KubeObject | undefined; subresource: string }): { object: KubeObject; managedFields?: KubeObject["metadata"]["managedFields"] } {
  const fn = call.ctx.patch[p.type];
  if (!fn) throw unsupportedPatch(call, p.type);
  if (p.type === "apply") {
    if (call.req.query.getAll("fieldManager").length === 0) throw badRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
  }
  try {
    return fn({
      kind: call.kind,
      schemas: call.ctx.schemas,
      current: p.current,
      patch: p.doc,
      fieldManager: fieldManagerOf(call),
      force: call.req.query.get("force") === "true",
      subresource: p.subresource,
    });
  } catch (err) {
    throw asStatusError(err);
  }
}

/** PATCH on an object (or its status). */
export async function patchHandler(call: Call): Promise<Reply> {
  const { type, doc } = patchDocument(call);
  const name = call.info.name;
  const subresource = call.info.subresource;
  let warnings: string[] = [];
  return guaranteedUpdate(call, {
    name,
    subresource,
    warnings,
    createIfMissing: type === "apply" && subresource === "",
    mutate: async (current) => {
      const out = runPatch(call, { type, doc, current, subresource });
      const obj = out.object;
      if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw badRequest("the patched object is not a JSON object");
      obj.metadata ??= {};
      if (obj.metadata.name && obj.metadata.name !== name) {
        throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      }
      obj.metadata.name = name;
      obj.apiVersion = apiVersionOf(call.kind);
      obj.kind = call.kind.kind;
      // only a resourceVersion the patch itself changed is a precondition
      if (current && obj.metadata.resourceVersion === current.metadata.resourceVersion) delete obj.metadata.resourceVersion;
      warnings = checkUnknownFields(call, obj);
      return { object: obj, managedFields: out.managedFields };
    },
  }).then((r) => ({ ...r, warnings }));
}
