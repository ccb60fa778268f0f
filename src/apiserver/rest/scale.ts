/** The scale subresource (autoscaling/v1 Scale) of kinds with KindDef.scale. */
import type { KubeObject } from "../../api/types.ts";
import { badRequest, conflict } from "../errors.ts";
import { decodeBody } from "../negotiation.ts";
import { groupResource, readCurrent } from "./common.ts";
import type { Call, Reply } from "./context.ts";
import { patchDocument } from "./patch.ts";
import { guaranteedUpdate } from "./write.ts";

function segments(path: string): string[] {
  return path.replace(/^\./, "").split(".").filter((s) => s !== "");
}

/** Reads a value at a ".a.b" path. */
function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const s of segments(path)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

/** Sets a value at a ".a.b" path, creating objects on the way. */
function setPath(obj: Record<string, unknown>, at: { path: string; value: unknown }): void {
  const { path, value } = at;
  const segs = segments(path);
  let cur = obj;
  for (const s of segs.slice(0, -1)) {
    if (cur[s] === null || typeof cur[s] !== "object") cur[s] = {};
    cur = cur[s] as Record<string, unknown>;
  }
  cur[segs[segs.length - 1]] = value;
}

function selectorString(sel: unknown): string {
  if (typeof sel === "string") return sel;
  if (sel === null || typeof sel !== "object") return "";
  const s = sel as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const op = e.operator;
    if (op === "In" || op === "NotIn") parts.push(`${e.key} ${op.toLowerCase()} (${(e.values ?? []).join(",")})`);
    else if (op === "Exists") parts.push(e.key);
    else if (op === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.join(",");
}

/** The Scale view of an object. */
export function scaleOf(call: Call, obj: KubeObject): KubeObject {
  const sc = call.kind.scale;
  if (!sc) throw badRequest(`${call.kind.resource} has no scale subresource`);
  const md = obj.metadata;
  const status: Record<string, unknown> = { replicas: Number(getPath(obj, sc.statusReplicasPath) ?? 0) };
  // built-in workloads derive the selector from spec.selector, as their upstream scale strategies do
  const builtin = call.kind.schemaRef.startsWith("io.k8s.");
  let sel = sc.labelSelectorPath ? selectorString(getPath(obj, sc.labelSelectorPath)) : "";
  if (!sel && builtin) sel = selectorString(getPath(obj, ".spec.selector"));
  if (sel) status.selector = sel;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: md.name, namespace: md.namespace, uid: md.uid, resourceVersion: md.resourceVersion, creationTimestamp: md.creationTimestamp },
    spec: { replicas: Number(getPath(obj, sc.specReplicasPath) ?? 0) },
    status,
  };
}

/** GET, PUT and PATCH on <resource>/<name>/scale. */
export async function scaleHandler(call: Call): Promise<Reply> {
  const sc = call.kind.scale;
  if (!sc) throw badRequest(`${call.kind.resource} has no scale subresource`);
  const name = call.info.name;
  if (call.req.method === "GET") {
    const { obj } = await readCurrent(call, name);
    return { status: 200, object: scaleOf(call, obj) };
  }
  const put = call.req.method === "PUT" ? (decodeBody(call.req, {}) as KubeObject) : undefined;
  const patch = call.req.method === "PATCH" ? patchDocument(call) : undefined;
  const reply = await guaranteedUpdate(call, {
    name,
    subresource: "scale",
    warnings: [],
    mutate: async (current) => {
      if (!current) throw badRequest("scale of a missing object");
      const scale = scaleOf(call, current);
      let wanted: KubeObject;
      if (put) wanted = put;
      else if (patch) {
        const fn = call.ctx.patch[patch.type === "json" ? "json" : "merge"];
        if (!fn) throw badRequest(`unsupported patch type ${patch.type} for scale`);
        wanted = fn({ kind: call.kind, schemas: call.ctx.schemas, current: scale, patch: patch.doc }).object;
      } else throw badRequest("unsupported scale request");
      const rv = wanted.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) throw conflict(groupResource(call), name);
      const replicas = (wanted.spec as { replicas?: unknown } | undefined)?.replicas;
      if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
        throw badRequest(`invalid replicas ${JSON.stringify(replicas)}: must be a non-negative integer`);
      }
      setPath(current as Record<string, unknown>, { path: sc.specReplicasPath, value: replicas });
      delete current.metadata.resourceVersion;
      return { object: current };
    },
  });
  return { status: 200, object: scaleOf(call, reply.object as KubeObject) };
}
