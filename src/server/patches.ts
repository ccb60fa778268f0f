/**
 * Adapts the patch library (src/apiserver/patch: pure functions) to the REST
 * core's PatchFunctions, turning PatchErrors into API Status errors.
 */
import { ApiStatusError, failure, type PatchFunctions, type PatchInput, type PatchOutput } from "../apiserver/mod.ts";
import { PatchError, applyJsonPatch, applyMergePatch, applyStrategicMergePatch, serverSideApply } from "../apiserver/patch/mod.ts";

function statusOf(err: unknown): unknown {
  if (!(err instanceof PatchError)) return err;
  const details = err.causes ? { causes: err.causes } : undefined;
  return new ApiStatusError(failure(err.code, { reason: err.reason, message: err.message, details }));
}

function guarded(fn: (input: PatchInput) => PatchOutput): (input: PatchInput) => PatchOutput {
  return (input) => {
    try {
      return fn(input);
    } catch (err) {
      throw statusOf(err);
    }
  };
}

function apiVersionOf(input: PatchInput): string {
  return input.kind.group ? `${input.kind.group}/${input.kind.version}` : input.kind.version;
}

/** The full patch implementations for createApiServer. */
export const patchFunctions: PatchFunctions = {
  json: guarded((input) => ({ object: applyJsonPatch(input.current ?? { metadata: {} }, input.patch) })),
  merge: guarded((input) => ({ object: applyMergePatch(input.current ?? { metadata: {} }, input.patch) })),
  strategic: guarded((input) => ({
    object: applyStrategicMergePatch(input.current ?? { metadata: {} }, input.patch, { schemas: input.schemas, rootRef: input.kind.schemaRef }),
  })),
  apply: guarded((input) => {
    const result = serverSideApply(input.current, input.patch as Parameters<typeof serverSideApply>[1], {
      manager: input.fieldManager ?? "",
      force: input.force,
      schemas: input.schemas,
      rootRef: input.kind.schemaRef,
      apiVersion: apiVersionOf(input),
      subresource: input.subresource,
    });
    return { object: result.object, managedFields: result.object.metadata.managedFields };
  }),
};
