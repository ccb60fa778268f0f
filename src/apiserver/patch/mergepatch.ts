/** RFC 7386 JSON Merge Patch, as the API server applies `application/merge-patch+json`. */
import { badRequest } from "./errors.ts";
import { clone, isObject } from "./json.ts";

function merge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}

/** Applies an RFC 7386 merge patch to a copy of `doc`; the patch of an object must be an object (else 400). */
export function applyMergePatch<T>(doc: T, patch: unknown): T {
  if (!isObject(patch)) {
    throw badRequest(`invalid JSON Patch: a merge patch of an object must be an object, got ${JSON.stringify(patch)}`);
  }
  return merge(doc, patch) as T;
}
