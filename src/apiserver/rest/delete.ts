/** DELETE of one object and of a collection: preconditions, finalizers, graceful deletion. */
import { ConflictError } from "../../datastore/backend.ts";
import type { KubeObject, Status } from "../../api/types.ts";
import { badRequest, conflict } from "../errors.ts";
import { parseJson, parseYamlBody, parseMediaTypes } from "../negotiation.ts";
import { nowTimestamp } from "../objectmeta.ts";
import { clone, encodeStored } from "../storage/codec.ts";
import { groupResource, isDryRun, keyOf, readCurrent, stored } from "./common.ts";
import type { Call, Reply } from "./context.ts";
import { listObjects } from "./list.ts";
import { externalAdmission } from "./admission.ts";
import { releaseHoldings } from "./write.ts";

/** metav1.DeleteOptions as sent in the body or the query. */
export interface DeleteOptionsBody {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  /** ["All"] (kubectl delete --dry-run=server sends it in the body) */
  dryRun?: string[];
}

const ORPHAN = "orphan";
const FOREGROUND = "foregroundDeletion";

/** Reads DeleteOptions from the body (if any) and the query, query winning for what it sets. */
export function deleteOptionsOf(call: Call): DeleteOptionsBody {
  let opts: DeleteOptionsBody = {};
  const body = call.req.body;
  if (body && body.length > 0) {
    const type = parseMediaTypes(call.req.headers["content-type"])[0]?.type ?? "application/json";
    // client-go's typed clients (helm's release storage) send DeleteOptions as protobuf
    const proto = type === "application/vnd.kubernetes.protobuf" ? call.ctx.protobuf : undefined;
    const parsed = proto ? proto(call.kind, body) : type.includes("yaml") ? parseYamlBody(body) : parseJson(body);
    if (parsed && typeof parsed === "object") opts = parsed as DeleteOptionsBody;
  }
  const q = call.req.query;
  const grace = q.get("gracePeriodSeconds");
  if (grace !== null && grace !== "") opts.gracePeriodSeconds = Number(grace);
  const policy = q.get("propagationPolicy");
  if (policy) opts.propagationPolicy = policy as DeleteOptionsBody["propagationPolicy"];
  const orphan = q.get("orphanDependents");
  if (orphan) opts.orphanDependents = orphan === "true";
  if (opts.propagationPolicy && !["Foreground", "Background", "Orphan"].includes(opts.propagationPolicy)) {
    throw badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(opts.propagationPolicy)}: supported values: "Foreground", "Background", "Orphan"`);
  }
  if (opts.gracePeriodSeconds !== undefined && !Number.isInteger(opts.gracePeriodSeconds)) {
    throw badRequest(`invalid gracePeriodSeconds ${JSON.stringify(grace)}`);
  }
  return opts;
}

function isPod(call: Call): boolean {
  return call.kind.group === "" && call.kind.resource === "pods";
}

/** Pods wait for the kubelet unless unscheduled, finished or deleted with grace 0. */
function gracePeriod(call: Call, obj: KubeObject, opts: DeleteOptionsBody): number {
  if (!isPod(call)) return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
  const g = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, g);
}

function withPolicyFinalizers(finalizers: string[], opts: DeleteOptionsBody): string[] {
  const policy = opts.propagationPolicy ?? (opts.orphanDependents === true ? "Orphan" : opts.orphanDependents === false ? "Background" : undefined);
  if (!policy) return finalizers;
  const rest = finalizers.filter((f) => f !== ORPHAN && f !== FOREGROUND);
  if (policy === "Orphan") rest.push(ORPHAN);
  if (policy === "Foreground") rest.push(FOREGROUND);
  return rest;
}

/** Deleted objects are answered whole for pods and custom resources, else with a Success Status (as upstream). */
function deletedReply(call: Call, obj: KubeObject): Reply {
  const custom = call.kind.group.includes(".") && !call.kind.group.endsWith(".k8s.io");
  if (isPod(call) || custom) return { status: 200, object: obj };
  const status: Status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { name: obj.metadata.name, ...(call.kind.group ? { group: call.kind.group } : {}), kind: call.kind.resource, uid: obj.metadata.uid },
    code: 200,
  };
  return { status: 200, object: status };
}

/** Deletes one object by name, honouring options; returns the reply upstream gives. */
export async function deleteObject(call: Call, target: { name: string; options: DeleteOptionsBody }): Promise<Reply> {
  const { name, options: opts } = target;
  const dry = isDryRun(call) || (opts.dryRun ?? []).includes("All");
  for (let attempt = 0; ; attempt++) {
    const { obj: cur, modRevision } = await readCurrent(call, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== cur.metadata.uid) {
      throw conflict(groupResource(call), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid ?? ""}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
      throw conflict(groupResource(call), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion ?? ""}`);
    }
    if (attempt === 0) for (const phase of ["mutate", "validate"] as const) await externalAdmission(call, { phase, operation: "DELETE", oldObject: cur });
    const next = clone(cur);
    const md = next.metadata;
    const finalizers = withPolicyFinalizers(md.finalizers ?? [], opts);
    const grace = gracePeriod(call, cur, opts);
    const nsFinalizers = namespaceFinalizers(call, cur);
    let hard = false;
    if (md.deletionTimestamp && nsFinalizers > 0) {
      throw conflict(groupResource(call), name, "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.");
    }
    if (md.deletionTimestamp) {
      // already being deleted: only shorten a pod's grace or finish when nothing holds it
      const curGrace = md.deletionGracePeriodSeconds ?? 0;
      if (grace === 0 && finalizers.length === 0 && nsFinalizers === 0) hard = true;
      else if (grace < curGrace) {
        md.deletionGracePeriodSeconds = grace;
        md.deletionTimestamp = nowTimestamp(grace);
      }
    } else if (grace > 0 || finalizers.length > 0 || nsFinalizers > 0) {
      md.deletionTimestamp = nowTimestamp(grace);
      md.deletionGracePeriodSeconds = grace;
      if (md.generation !== undefined) md.generation += 1;
      if (call.kind.group === "" && call.kind.resource === "namespaces") {
        next.status = { ...((next.status as object | undefined) ?? {}), phase: "Terminating" };
      }
    } else hard = true;
    if (finalizers.length) md.finalizers = finalizers;
    else delete md.finalizers;
    try {
      if (hard) {
        if (dry) return deletedReply(call, cur);
        const del = await call.ctx.backend.delete(keyOf(call, name), modRevision);
        cur.metadata.resourceVersion = String(del.revision);
        await releaseHoldings(call, { obj: cur });
        return deletedReply(call, cur);
      }
      const unchanged = encodeStored(stored(call.kind, next)).equals(encodeStored(stored(call.kind, cur)));
      if (dry || unchanged) return { status: 200, object: next };
      const kv = await call.ctx.backend.update(keyOf(call, name), encodeStored(stored(call.kind, next)), modRevision);
      md.resourceVersion = String(kv.modRevision);
      return { status: 200, object: next };
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 16) throw err;
    }
  }
}

/** Namespaces are held by spec.finalizers until the namespace controller empties them. */
function namespaceFinalizers(call: Call, obj: KubeObject): number {
  if (call.kind.group !== "" || call.kind.resource !== "namespaces") return 0;
  return ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length;
}

/** DELETE on an object. */
export async function deleteHandler(call: Call): Promise<Reply> {
  return deleteObject(call, { name: call.info.name, options: deleteOptionsOf(call) });
}

/** DELETE on a collection: lists with the selectors, deletes each, answers the list of what was deleted. */
export async function deleteCollectionHandler(call: Call): Promise<Reply> {
  const opts = deleteOptionsOf(call);
  const list = await listObjects(call, { ignoreLimit: true });
  const items: KubeObject[] = [];
  for (const obj of list.items) {
    try {
      const r = await deleteObject(call, { name: obj.metadata.name ?? "", options: opts });
      items.push(r.object.kind === "Status" ? obj : (r.object as KubeObject));
    } catch (err) {
      if ((err as { code?: number }).code === 404) continue;
      throw err;
    }
  }
  return { status: 200, object: { kind: call.kind.listKind, apiVersion: list.apiVersion, metadata: list.metadata, items } };
}
