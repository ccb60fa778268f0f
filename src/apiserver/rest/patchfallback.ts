/**
 * Minimal merge and JSON patch used until src/apiserver/patch is wired in
 * (createApiServer's `patch` option replaces these). Strategic patches fall
 * back to merge semantics; apply merges the applied object over the current one.
 */
import type { KubeObject } from "../../api/types.ts";
import { badRequest, ApiStatusError, failure } from "../errors.ts";
import type { PatchFunctions, PatchInput, PatchOutput } from "./patchtypes.ts";

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** RFC 7386 merge of patch into target. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unprocessable(): ApiStatusError {
  return new ApiStatusError(failure(422, { reason: "Invalid", message: "the server rejected our request due to an error in our request" }));
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw unprocessable();
  return path.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(root: { doc: unknown }, tokens: string[]): { parent: Record<string, unknown> | unknown[]; last: string } {
  let cur: unknown = root;
  const path = ["doc", ...tokens];
  for (const t of path.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObj(cur)) cur = cur[t];
    else throw unprocessable();
  }
  if (!Array.isArray(cur) && !isObj(cur)) throw unprocessable();
  return { parent: cur, last: path[path.length - 1] };
}

/** RFC 6902 operations applied to a copy. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  const root = { doc: structuredClone(doc) };
  const get = (path: string): unknown => {
    const { parent, last } = parentOf(root, pointer(path));
    return Array.isArray(parent) ? parent[Number(last)] : parent[last];
  };
  const remove = (path: string): unknown => {
    const { parent, last } = parentOf(root, pointer(path));
    if (Array.isArray(parent)) return parent.splice(Number(last), 1)[0];
    if (!(last in parent)) throw unprocessable();
    const v = parent[last];
    delete parent[last];
    return v;
  };
  const add = (path: string, value: unknown): void => {
    const { parent, last } = parentOf(root, pointer(path));
    if (Array.isArray(parent)) parent.splice(last === "-" ? parent.length : Number(last), 0, value);
    else parent[last] = value;
  };
  for (const op of ops as Record<string, unknown>[]) {
    const path = String(op.path ?? "");
    switch (op.op) {
      case "add":
        add(path, structuredClone(op.value));
        break;
      case "remove":
        remove(path);
        break;
      case "replace":
        remove(path);
        add(path, structuredClone(op.value));
        break;
      case "move":
        add(path, remove(String(op.from)));
        break;
      case "copy":
        add(path, structuredClone(get(String(op.from))));
        break;
      case "test":
        if (JSON.stringify(get(path)) !== JSON.stringify(op.value)) throw unprocessable();
        break;
      default:
        throw unprocessable();
    }
  }
  return root.doc;
}

function merge(input: PatchInput): PatchOutput {
  return { object: mergePatch(input.current ?? {}, input.patch) as KubeObject };
}

/** The stand-in patch functions. */
export const fallbackPatch: PatchFunctions = {
  json: (input) => ({ object: jsonPatch(input.current, input.patch) as KubeObject }),
  merge,
  strategic: merge,
  apply: merge,
};
