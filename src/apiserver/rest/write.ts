/** Create and update with upstream's metadata semantics and optimistic concurrency. */
import { randomUUID } from "node:crypto";
import { ConflictError } from "../../datastore/backend.ts";
import type { KubeObject, ManagedFieldsEntry } from "../../api/types.ts";
import { InvalidObjectError } from "../../api/errors.ts";
import { alreadyExists, badRequest, conflict, invalid, notFound } from "../errors.ts";
import { apiVersionOf } from "../kinds.ts";
import { defaultManager } from "../managedfields.ts";
import { updatedManagedFields } from "./patchdefaults.ts";
import { generateName, hasGeneration, nowTimestamp, specOf } from "../objectmeta.ts";
import { clone, decodeStored, encodeStored } from "../storage/codec.ts";
import { checkNamespaceLifecycle, checkUnknownFields, externalAdmission, strategyContext, validateOrThrow } from "./admission.ts";
import { decodeObject, groupResource, isDryRun, keyOf, served, stored } from "./common.ts";
import type { Call, Reply } from "./context.ts";

const MAX_RETRIES = 16;

/** The field manager of a write: ?fieldManager= or the User-Agent's program. */
export function fieldManagerOf(call: Call): string {
  return call.req.query.get("fieldManager") || defaultManager(call.req.headers["user-agent"]);
}

/** POST to a collection. */
export async function createHandler(call: Call): Promise<Reply> {
  const obj = decodeObject(call);
  const warnings = checkUnknownFields(call, obj);
  return createObject(call, { object: obj, warnings });
}

export interface CreateOptions {
  /** the decoded object; the pipeline fills it in place */
  object: KubeObject;
  warnings: string[];
  /** managedFields computed by apply; absent = an Update entry for the manager */
  managedFields?: ManagedFieldsEntry[];
}

/** Runs the create pipeline on a decoded object and stores it. */
export async function createObject(call: Call, opts: CreateOptions): Promise<Reply> {
  const { kind } = call;
  const obj = opts.object;
  const md = obj.metadata;
  if (kind.namespaced) {
    if (md.namespace && md.namespace !== call.info.namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    md.namespace = call.info.namespace;
  } else {
    delete md.namespace;
  }
  if (md.resourceVersion) throw badRequest("resourceVersion should not be set on objects to be created");
  const sctx = strategyContext(call, "");
  if (kind.defaults) kind.defaults(obj);
  await externalAdmission(call, { phase: "mutate", operation: "CREATE", object: obj });
  let persisted = false;
  try {
    // name and uid first: strategies derive from them (a Job's selector carries its uid)
    if (!md.name && md.generateName) md.name = generateName(md.generateName);
    md.uid = randomUUID();
    if (kind.prepareForCreate) await asInvalid(call, obj, () => kind.prepareForCreate?.(obj, sctx));
    md.creationTimestamp = nowTimestamp();
    delete md.deletionTimestamp;
    delete md.deletionGracePeriodSeconds;
    delete (md as Record<string, unknown>).selfLink;
    if (hasGeneration(kind, obj)) md.generation = 1;
    else delete md.generation;
    await checkNamespaceLifecycle(call, obj);
    validateOrThrow(call, { obj, subresource: "" });
    await externalAdmission(call, { phase: "validate", operation: "CREATE", object: obj });
    md.managedFields =
      opts.managedFields ?? updatedManagedFields({ kind, schemas: call.ctx.schemas, manager: fieldManagerOf(call), subresource: "", old: undefined, next: obj });
    if (md.managedFields === undefined) delete md.managedFields;
    if (isDryRun(call)) return { status: 201, object: obj, warnings: opts.warnings };
    try {
      const lease = isEvent(call) ? await call.ctx.leases.leaseFor(call.ctx.eventTTLSeconds) : 0;
      const rev = await call.ctx.backend.create(keyOf(call, md.name ?? ""), encodeStored(stored(kind, obj)), lease);
      md.resourceVersion = String(rev);
      persisted = true;
    } catch (err) {
      if (err instanceof ConflictError) throw alreadyExists(groupResource(call), md.name ?? "");
      throw err;
    }
  } finally {
    // what prepareForCreate allocated goes back unless the object now holds it
    if (!persisted) await releaseHoldings(call, { obj });
  }
  return { status: 201, object: obj, warnings: opts.warnings };
}

/** PUT to an object (or its status). */
export async function updateHandler(call: Call): Promise<Reply> {
  const body = decodeObject(call);
  const warnings = checkUnknownFields(call, body);
  const name = call.info.name;
  if (body.metadata.name && body.metadata.name !== name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  }
  body.metadata.name = name;
  return guaranteedUpdate(call, { name, subresource: call.info.subresource, warnings, mutate: async () => ({ object: clone(body) }) });
}

export interface UpdateSpec {
  name: string;
  /** "" or "status" */
  subresource: string;
  warnings: string[];
  /** the desired object from a private copy of the current one (undefined = absent) */
  mutate(current: KubeObject | undefined): Promise<{ object: KubeObject; managedFields?: ManagedFieldsEntry[] }>;
  /** apply: create when absent instead of NotFound */
  createIfMissing?: boolean;
}

/** Read-modify-write with retries on conflicts the client did not cause. */
export async function guaranteedUpdate(call: Call, spec: UpdateSpec): Promise<Reply> {
  const key = keyOf(call, spec.name);
  for (let attempt = 0; ; attempt++) {
    const res = await call.ctx.backend.get(key);
    if (!res.kv) {
      if (!spec.createIfMissing) throw notFound(groupResource(call), spec.name);
      const made = await spec.mutate(undefined);
      made.object.metadata.name ??= spec.name;
      return createObject(call, { object: made.object, warnings: spec.warnings, managedFields: made.managedFields });
    }
    const cur = served(call.kind, decodeStored(res.kv));
    const made = await spec.mutate(clone(cur));
    const userRv = made.object.metadata.resourceVersion;
    if (userRv && userRv !== String(res.kv.modRevision)) throw conflict(groupResource(call), spec.name);
    let next: KubeObject;
    try {
      next = await finalizeUpdate(call, { cur, next: made.object, subresource: spec.subresource, managedFields: made.managedFields });
    } catch (err) {
      await releaseHoldings(call, { obj: made.object, keep: cur });
      throw err;
    }
    const curBytes = encodeStored(stored(call.kind, cur));
    const nextBytes = encodeStored(stored(call.kind, next));
    if (curBytes.equals(nextBytes)) return { status: 200, object: cur, warnings: spec.warnings };
    if (isDryRun(call)) {
      await releaseHoldings(call, { obj: next, keep: cur });
      return { status: 200, object: next, warnings: spec.warnings };
    }
    const deleting = shouldDeleteNow(next);
    try {
      if (deleting) {
        const del = await call.ctx.backend.delete(key, res.kv.modRevision);
        next.metadata.resourceVersion = String(del.revision);
      } else {
        const kv = await call.ctx.backend.update(key, nextBytes, res.kv.modRevision, isEvent(call) ? await call.ctx.leases.leaseFor(call.ctx.eventTTLSeconds) : 0);
        next.metadata.resourceVersion = String(kv.modRevision);
      }
    } catch (err) {
      await releaseHoldings(call, { obj: next, keep: cur });
      if (!(err instanceof ConflictError)) throw err;
      if (userRv || attempt >= MAX_RETRIES) throw conflict(groupResource(call), spec.name);
      continue;
    }
    if (deleting) await releaseHoldings(call, { obj: next });
    else await releaseHoldings(call, { obj: cur, keep: next });
    return { status: 200, object: next, warnings: spec.warnings };
  }
}

/** An object marked for deletion whose finalizers are gone (and whose grace has run out) is deleted. */
export function shouldDeleteNow(obj: KubeObject): boolean {
  const md = obj.metadata;
  const nsFinalizers = obj.kind === "Namespace" ? ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length : 0;
  return md.deletionTimestamp !== undefined && (md.finalizers ?? []).length === 0 && nsFinalizers === 0 && !((md.deletionGracePeriodSeconds ?? 0) > 0);
}

/** Carries over what a client may not change, splits status, bumps generation, validates, records the manager. */
async function finalizeUpdate(call: Call, u: { cur: KubeObject; next: KubeObject; subresource: string; managedFields?: ManagedFieldsEntry[] }): Promise<KubeObject> {
  const { kind } = call;
  const { cur } = u;
  let next = u.next;
  const md = next.metadata;
  if (kind.namespaced) {
    if (md.namespace && md.namespace !== call.info.namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    md.namespace = call.info.namespace;
  } else delete md.namespace;
  md.name = cur.metadata.name;
  md.creationTimestamp = cur.metadata.creationTimestamp;
  if (cur.metadata.deletionTimestamp) md.deletionTimestamp = cur.metadata.deletionTimestamp;
  else delete md.deletionTimestamp;
  if (cur.metadata.deletionGracePeriodSeconds !== undefined) md.deletionGracePeriodSeconds = cur.metadata.deletionGracePeriodSeconds;
  else delete md.deletionGracePeriodSeconds;
  md.uid ??= cur.metadata.uid;
  delete (md as Record<string, unknown>).selfLink;
  if (u.subresource === "status" || u.subresource === "approval") {
    const status = next.status;
    next = clone(cur);
    if (status === undefined) delete next.status;
    else next.status = status;
  } else if (kind.statusSubresource) {
    if (cur.status === undefined) delete next.status;
    else next.status = clone(cur.status);
  }
  const nmd = next.metadata;
  // /finalize only moves spec.finalizers; defaulting would put back the finalizer it removed
  if (kind.defaults && u.subresource !== "finalize") kind.defaults(next);
  await externalAdmission(call, { phase: "mutate", operation: "UPDATE", object: next, oldObject: cur });
  if (kind.prepareForUpdate) await asInvalid(call, next, () => kind.prepareForUpdate?.(next, cur, strategyContext(call, u.subresource)));
  if (cur.metadata.generation !== undefined || hasGeneration(call.kind, next)) {
    const gen = cur.metadata.generation ?? 1;
    nmd.generation = specOf(next) !== specOf(cur) && u.subresource !== "status" ? gen + 1 : gen;
  }
  validateOrThrow(call, { obj: next, old: cur, subresource: u.subresource });
  await externalAdmission(call, { phase: "validate", operation: "UPDATE", object: next, oldObject: cur });
  nmd.managedFields =
    u.managedFields ?? updatedManagedFields({ kind, schemas: call.ctx.schemas, manager: fieldManagerOf(call), subresource: u.subresource, old: cur, next });
  if (nmd.managedFields === undefined) delete nmd.managedFields;
  nmd.resourceVersion = cur.metadata.resourceVersion;
  return next;
}

/** Calls KindDef.release: frees what `obj` holds and `keep` does not (allocated IPs, ports), before the reply. */
export async function releaseHoldings(call: Call, held: { obj: KubeObject; keep?: KubeObject }): Promise<void> {
  const { obj, keep } = held;
  if (!call.kind.release) return;
  try {
    await call.kind.release(obj, { ...strategyContext(call, call.info.subresource), keep });
  } catch {
    // a failed release leaks an allocation; the allocator's repair loop reclaims it
  }
}

/** Runs a strategy hook, answering its InvalidObjectError as 422 Invalid. */
async function asInvalid(call: Call, obj: KubeObject, hook: () => void | Promise<void> | undefined): Promise<void> {
  try {
    await hook();
  } catch (err) {
    if (err instanceof InvalidObjectError) throw invalid({ group: call.kind.group, kind: call.kind.kind }, obj.metadata.name ?? obj.metadata.generateName ?? "", err.errors);
    throw err;
  }
}

/** Events expire after the event TTL (core/v1 and events.k8s.io share storage). */
function isEvent(call: Call): boolean {
  return call.kind.resource === "events" && (call.kind.group === "" || call.kind.group === "events.k8s.io");
}
