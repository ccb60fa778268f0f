/**
 * Patches and server-side apply as pure functions over JSON objects. The
 * REST core picks the function by Content-Type:
 *   application/json-patch+json          → applyJsonPatch
 *   application/merge-patch+json         → applyMergePatch
 *   application/strategic-merge-patch+json → applyStrategicMergePatch (built-in kinds only; CRs get 415)
 *   application/apply-patch+yaml         → serverSideApply
 * and calls updateManagedFields on every other write. Failures throw
 * PatchError (code 400/409/413/422, reason, upstream-like message).
 */
export { PatchError, invalidPatchMessage } from "./errors.ts";
export type { PatchErrorCode, PatchErrorOptions } from "./errors.ts";
export { applyJsonPatch, decodeJsonPatch, maxJsonPatchOperations } from "./jsonpatch.ts";
export type { JsonPatchOperation } from "./jsonpatch.ts";
export { applyMergePatch } from "./mergepatch.ts";
export { applyStrategicMergePatch } from "./strategic.ts";
export type { StrategicMergeOptions } from "./strategic.ts";
export { ApplyConflictError, conflictError, lastAppliedAnnotation, serverSideApply, updateManagedFields } from "./apply.ts";
export type { ApplyOptions, ApplyResult, Conflict, ManagedFieldsOptions, UpdateOptions } from "./apply.ts";
export { FieldSet, fromFieldsV1, pathString, toFieldsV1 } from "./fieldpath.ts";
export { fieldManagerFor, fieldManagerMaxLength } from "./managed.ts";
export type { FieldPath, PathElement } from "./fieldpath.ts";
