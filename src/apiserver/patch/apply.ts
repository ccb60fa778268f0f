/**
 * Server-side apply and managedFields upkeep with structured-merge-diff's
 * semantics: each manager owns a field set; an apply merges the applied
 * configuration into the live object, removes what the applier applied last
 * time and no longer applies (unless someone else owns it), and refuses to
 * change fields others own (409) unless forced, which moves ownership.
 * Every other write records the fields it changed as its manager's Update.
 */
import type { SchemaRegistry } from "../../api/kind.ts";
import type { KubeObject, StatusCause } from "../../api/types.ts";
import { PatchError } from "./errors.ts";
import { FieldSet } from "./fieldpath.ts";
import type { FieldPath } from "./fieldpath.ts";
import { clone, deepEqual, isObject } from "./json.ts";
import type { JsonObject } from "./json.ts";
import {
  capUpdateManagers,
  conflictPath,
  decodeManagedFields,
  encodeManagedFields,
  managerKey,
  printManager,
  stripMeta,
  strippedPaths,
} from "./managed.ts";
import type { ManagerSet, Managers } from "./managed.ts";
import { Schemas } from "./schema.ts";
import type { Comparison } from "./typed.ts";
import { Typed, TypedValueError } from "./typed.ts";

/** The client-side apply annotation kubectl keeps. */
export const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

/** What both apply and update need to know about the request. */
export interface ManagedFieldsOptions {
  /** the field manager (?fieldManager=, else derived from the user agent by the caller) */
  manager: string;
  schemas: SchemaRegistry;
  /** definition name of the object's schema; undefined = no schema (deduced, like a CR without one) */
  rootRef: string | undefined;
  /** group/version the request was served at, e.g. "apps/v1" */
  apiVersion: string;
  /** "" or undefined for the main resource, else "status", "scale", ... */
  subresource?: string;
  /** top-level-or-deeper field paths nobody may own through this endpoint, e.g. [["status"]] on the main resource */
  ignoredFields?: string[][];
  /** clock for managedFields times (default: now) */
  now?: Date;
}

/** Options of a server-side apply. */
export interface ApplyOptions extends ManagedFieldsOptions {
  /** ?force=true: take over conflicting fields instead of failing */
  force?: boolean;
}

/** Options of an ownership update after a non-apply write. */
export interface UpdateOptions extends ManagedFieldsOptions {
  operation?: "Update";
}

/** A field another manager owns with a different value. */
export interface Conflict {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource?: string;
  /** as upstream prints it: `.spec.replicas`, `.spec.containers[name="web"].image` */
  field: string;
}

/** The outcome of an apply. */
export interface ApplyResult {
  object: KubeObject;
  /** conflicts that `force` overrode (ownership moved to the applier) */
  conflicts?: Conflict[];
}

/** A 409 from an apply, carrying the conflicts. */
export class ApplyConflictError extends PatchError {
  readonly conflicts: Conflict[];
  constructor(conflicts: Conflict[], message: string, causes: StatusCause[]) {
    super(409, message, { causes });
    this.conflicts = conflicts;
  }
}

interface Context {
  typed: Typed;
  ignored: FieldPath[];
  apiVersion: string;
  subresource?: string;
  now: string;
}

function context(o: ManagedFieldsOptions): Context {
  const schemas = new Schemas(o.schemas);
  const ctx: Context = {
    typed: new Typed(schemas, schemas.root(o.rootRef)),
    ignored: (o.ignoredFields ?? []).map((p) => p.map((f) => "f:" + f)),
    apiVersion: o.apiVersion,
    now: (o.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  if (o.subresource) ctx.subresource = o.subresource;
  return ctx;
}

/** What an apply that creates starts from: the kind's empty object. */
function emptyLike(applied: KubeObject): KubeObject {
  const out: KubeObject = { metadata: {} };
  if (applied.apiVersion !== undefined) out.apiVersion = applied.apiVersion;
  if (applied.kind !== undefined) out.kind = applied.kind;
  return out;
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  const out = clone(obj);
  if (!isObject(out.metadata)) out.metadata = {};
  delete out.metadata.managedFields;
  return out;
}

function typed<T>(what: string, obj: KubeObject, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof TypedValueError)) throw e;
    const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : "";
    throw new PatchError(422, `failed to create typed ${what} object (${ns}${obj.metadata?.name ?? ""}; ${obj.apiVersion ?? ""}, Kind=${obj.kind ?? ""}): ${e.message}`);
  }
}

function exclude(c: Comparison, ignored: FieldPath[]): Comparison {
  if (ignored.length === 0) return c;
  return {
    added: c.added.withoutPrefixes(ignored),
    modified: c.modified.withoutPrefixes(ignored),
    removed: c.removed.withoutPrefixes(ignored),
  };
}

/** Applies `applied` for `manager` onto `live` (undefined: create); throws ApplyConflictError (409) on conflicts. */
export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, options: ApplyOptions): ApplyResult {
  if (!options.manager) {
    throw new PatchError(422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  }
  if (!isObject(applied)) throw new PatchError(400, "error decoding YAML: the apply patch is not an object");
  if (isObject(applied.metadata) && applied.metadata.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw new PatchError(400, "metadata.managedFields must be nil");
  }
  if (applied.apiVersion !== options.apiVersion) {
    throw new PatchError(
      400,
      `Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion ?? ""}, expected: ${options.apiVersion}`,
    );
  }
  const ctx = context(options);
  const config = clone(applied);
  if (isObject(config.metadata)) delete config.metadata.managedFields;
  const liveObj: KubeObject = live ? withoutManagedFields(live) : emptyLike(applied);
  let managers = live ? decodeManagedFields(live.metadata?.managedFields) : new Map<string, ManagerSet>();
  if (live && managers.size === 0) managers = beforeFirstApply(liveObj, ctx);

  const applier: ManagerSet = { manager: options.manager, operation: "Apply", apiVersion: ctx.apiVersion, set: new FieldSet() };
  if (ctx.subresource) applier.subresource = ctx.subresource;
  const run = (force: boolean) => applyCore({ live: liveObj, config, managers: cloneManagers(managers), applier, force }, ctx);
  let result: CoreResult;
  try {
    result = run(options.force === true);
  } catch (e) {
    if (!(e instanceof ApplyConflictError) || options.manager !== "kubectl") throw e;
    // kubectl upgrading from client-side apply: fields it last applied client-side are its own
    const allowed = allowedFromLastApplied(liveObj, ctx);
    const remaining = e.conflicts.filter((c) => !allowed.has(c.field));
    if (remaining.length > 0) throw conflictError(remaining);
    result = run(true);
  }

  const key = managerKey(applier);
  const entry = result.managers.get(key);
  if (entry) {
    entry.set = stripMeta(entry.set);
    const previous = managers.get(key);
    if (!result.noop) entry.time = ctx.now;
    else if (previous?.time) entry.time = previous.time;
    else delete entry.time;
    if (entry.set.isEmpty()) result.managers.delete(key);
  }
  const object = result.object;
  syncLastApplied(object, config, options.manager);
  setManagedFields(object, result.managers);
  return result.overridden.length > 0 ? { object, conflicts: result.overridden } : { object };
}

interface CoreInput {
  live: KubeObject;
  config: KubeObject;
  managers: Managers;
  applier: ManagerSet;
  force: boolean;
}

interface CoreResult {
  object: KubeObject;
  managers: Managers;
  overridden: Conflict[];
  noop: boolean;
}

/** The structured-merge-diff Apply: merge, prune what the applier dropped, then settle ownership. */
function applyCore(input: CoreInput, ctx: Context): CoreResult {
  const { live, config, managers, applier } = input;
  const key = managerKey(applier);
  const merged = typed("patch", config, () => ctx.typed.merge(live, config)) as KubeObject;
  const newSet = typed("patch", config, () => ctx.typed.fieldSet(config)).withoutPrefixes(ctx.ignored);
  const last = managers.get(key);
  const entry: ManagerSet = { ...applier, set: newSet };
  if (last?.time) entry.time = last.time;
  managers.set(key, entry);
  const pruned = last && !last.set.isEmpty() ? prune(merged, managers, last.set, ctx) : merged;
  const object = dropNulls(pruned) as KubeObject;

  const c = exclude(typed("live", live, () => ctx.typed.compare(live, object)), ctx.ignored);
  const changed = c.modified.union(c.added);
  const conflicts: Conflict[] = [];
  const conflictSets = new Map<string, FieldSet>();
  for (const [k, m] of managers) {
    if (k === key) continue;
    const hit = m.set.intersection(changed);
    if (hit.isEmpty()) continue;
    conflictSets.set(k, hit);
    for (const path of hit.paths()) conflicts.push(toConflict(m, path));
  }
  if (conflicts.length > 0 && !input.force) throw conflictError(conflicts);
  for (const [k, m] of managers) {
    if (k === key) continue;
    m.set = m.set.difference(conflictSets.get(k) ?? new FieldSet()).difference(c.removed);
    if (m.set.isEmpty()) managers.delete(k);
  }
  return { object, managers, overridden: conflicts, noop: deepEqual(live, object) };
}

/** Removes what the applier owned last time, owns no more, and nobody else owns. */
function prune(merged: KubeObject, managers: Managers, last: FieldSet, ctx: Context): KubeObject {
  let owned = new FieldSet();
  for (const m of managers.values()) owned = owned.union(m.set);
  const remove = last.withNamedAncestors().difference(owned.withNamedAncestors()).difference(new FieldSet(strippedPaths));
  if (remove.isEmpty()) return merged;
  const out = ctx.typed.removeItems(merged, remove) as KubeObject | undefined;
  return out ?? { metadata: {} };
}

/** An object that had no managedFields gets one Update entry owning everything it holds. */
function beforeFirstApply(live: KubeObject, ctx: Context): Managers {
  const managers: Managers = new Map();
  const c = exclude(typed("live", live, () => ctx.typed.compare({}, live)), ctx.ignored);
  const set = stripMeta(c.added.union(c.modified));
  if (!set.isEmpty()) {
    const m: ManagerSet = { manager: "before-first-apply", operation: "Update", apiVersion: ctx.apiVersion, set };
    managers.set(managerKey(m), m);
  }
  return managers;
}

/** Fields of the last-applied annotation whose live values still match it (upstream's lastAppliedManager). */
function allowedFromLastApplied(live: KubeObject, ctx: Context): Set<string> {
  const text = live.metadata?.annotations?.[lastAppliedAnnotation];
  if (!text) return new Set();
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return new Set();
  }
  if (!isObject(last) || last.apiVersion !== ctx.apiVersion) return new Set();
  try {
    const set = ctx.typed.fieldSet(last, true);
    const c = ctx.typed.compare(last, live);
    return new Set(set.difference(c.modified).difference(c.added).difference(c.removed).paths().map(conflictPath));
  } catch {
    return new Set();
  }
}

/** kubectl's server-side apply keeps an existing client-side annotation in step (upstream's lastAppliedUpdater). */
function syncLastApplied(object: KubeObject, config: KubeObject, manager: string): void {
  const annotations = object.metadata?.annotations;
  if (manager !== "kubectl" || !annotations || annotations[lastAppliedAnnotation] === undefined) return;
  const copy = clone(config);
  if (copy.metadata?.annotations) delete copy.metadata.annotations[lastAppliedAnnotation];
  const text = JSON.stringify(sortKeys(copy)) + "\n";
  if (text.length > 256 * 1024) delete annotations[lastAppliedAnnotation];
  else annotations[lastAppliedAnnotation] = text;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

function toConflict(m: ManagerSet, path: FieldPath): Conflict {
  const c: Conflict = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, field: conflictPath(path) };
  if (m.subresource) c.subresource = m.subresource;
  return c;
}

function asManager(c: Conflict): ManagerSet {
  const m: ManagerSet = { manager: c.manager, operation: c.operation, apiVersion: c.apiVersion, set: new FieldSet() };
  if (c.subresource) m.subresource = c.subresource;
  return m;
}

/** Upstream's 409 wording: one conflict inline, several grouped by manager. */
export function conflictError(conflicts: Conflict[]): ApplyConflictError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${printManager(asManager(c))}`,
    field: c.field,
  }));
  if (conflicts.length === 1) {
    const c = conflicts[0];
    return new ApplyConflictError(conflicts, `Apply failed with 1 conflict: conflict with ${printManager(asManager(c))}: ${c.field}`, causes);
  }
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const name = printManager(asManager(c));
    byManager.set(name, [...(byManager.get(name) ?? []), c]);
  }
  const lines: string[] = [];
  for (const name of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${name}:`);
    for (const c of byManager.get(name)!) lines.push(`- ${c.field}`);
  }
  return new ApplyConflictError(conflicts, `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`, causes);
}

function cloneManagers(managers: Managers): Managers {
  const out: Managers = new Map();
  for (const [k, m] of managers) out.set(k, { ...m, set: m.set.copy() });
  return out;
}

function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = dropNulls(x) as JsonObject;
  return out;
}

function setManagedFields(object: KubeObject, managers: Managers): void {
  if (!isObject(object.metadata)) object.metadata = {};
  const entries = encodeManagedFields(managers);
  if (entries.length > 0) object.metadata.managedFields = entries;
  else delete object.metadata.managedFields;
}

function isReset(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  return entries.length === 0 || (entries.length === 1 && isObject(entries[0]) && Object.keys(entries[0]).length === 0);
}

/**
 * Records on `next` (the object about to be stored by a create, update or
 * non-apply patch) the fields this write changed as owned by `manager`
 * (operation Update), taking them from whoever owned them before.
 */
export function updateManagedFields(old: KubeObject | undefined, next: KubeObject, options: UpdateOptions): KubeObject {
  const ctx = context(options);
  const requested = next.metadata?.managedFields;
  let managers: Managers;
  let reset = false;
  if (ctx.subresource) managers = decodeManagedFields(old?.metadata?.managedFields);
  else if (isReset(requested)) {
    managers = new Map();
    reset = true;
  } else {
    let fromNext: Managers | undefined;
    try {
      fromNext = requested && requested.length > 0 ? decodeManagedFields(requested) : undefined;
    } catch {
      fromNext = undefined;
    }
    managers = fromNext ?? safeDecode(old);
  }
  const object = withoutManagedFields(next);
  // objects that never had managedFields are not tracked until their first apply
  if (managers.size === 0 && (old !== undefined || reset)) return object;

  const before = old ? withoutManagedFields(old) : ({ metadata: {} } as KubeObject);
  const c = exclude(typed("live", object, () => ctx.typed.compare(before, object)), ctx.ignored);
  const changed = c.modified.union(c.added);
  for (const [k, m] of managers) {
    m.set = m.set.difference(changed).difference(c.removed);
    if (m.set.isEmpty()) managers.delete(k);
  }
  const current = stripMeta(changed);
  if (!current.isEmpty()) {
    const me: ManagerSet = { manager: options.manager, operation: "Update", apiVersion: ctx.apiVersion, set: current };
    if (ctx.subresource) me.subresource = ctx.subresource;
    const key = managerKey(me);
    const previous = managers.get(key);
    if (previous) me.set = me.set.union(previous.set);
    me.time = ctx.now;
    managers.set(key, me);
  }
  capUpdateManagers(managers);
  setManagedFields(object, managers);
  return object;
}

function safeDecode(obj: KubeObject | undefined): Managers {
  try {
    return decodeManagedFields(obj?.metadata?.managedFields);
  } catch {
    return new Map();
  }
}
