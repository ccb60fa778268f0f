/**
 * managedFields for Update operations: the manager of a write owns the fields
 * it changed, and those fields leave every other manager's set. Lists are
 * keyed by name when their items have one, else owned whole.
 */
import type { KubeObject, ManagedFieldsEntry } from "../api/types.ts";
import { nowTimestamp } from "./objectmeta.ts";

/** A FieldsV1 set: {"f:data": {".": {}, "f:key": {}}}. */
export type FieldSet = Record<string, unknown>;

const SKIPPED_META = new Set(["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink", "generateName"]);

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function itemKey(item: unknown): string | undefined {
  if (isObj(item) && typeof item.name === "string") return `k:${JSON.stringify({ name: item.name })}`;
  return undefined;
}

/** The fields of `value` that differ from `old` (all of them when old is absent). */
function changed(value: unknown, old: unknown): FieldSet | undefined {
  if (JSON.stringify(value) === JSON.stringify(old)) return undefined;
  if (isObj(value)) {
    const out: FieldSet = {};
    const o = isObj(old) ? old : {};
    for (const [k, v] of Object.entries(value)) {
      const c = changed(v, o[k]);
      if (c) out[`f:${k}`] = c;
    }
    if (!isObj(old)) out["."] = {};
    return Object.keys(out).length ? out : {};
  }
  if (Array.isArray(value) && value.length > 0 && value.every((i) => itemKey(i) !== undefined)) {
    const out: FieldSet = {};
    const olds = new Map<string, unknown>();
    if (Array.isArray(old)) for (const i of old) { const k = itemKey(i); if (k) olds.set(k, i); }
    for (const item of value) {
      const k = itemKey(item) as string;
      const c = changed(item, olds.get(k));
      if (c) out[k] = { ...c, ".": {} };
    }
    return out;
  }
  return {};
}

/** The fields an object sets that are ownable (metadata bookkeeping excluded). */
export function fieldsOfChange(change: { obj: KubeObject; old: KubeObject | undefined; skipStatus: boolean }): FieldSet {
  const { obj, old } = change;
  const opts = change;
  const pick = (o: KubeObject | undefined): Record<string, unknown> | undefined => {
    if (!o) return undefined;
    const { apiVersion: _a, kind: _k, metadata, status, ...rest } = o;
    const md: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(metadata ?? {})) if (!SKIPPED_META.has(k)) md[k] = v;
    const out: Record<string, unknown> = { ...rest };
    if (Object.keys(md).length) out.metadata = md;
    if (!opts.skipStatus && status !== undefined) out.status = status;
    return out;
  };
  const set = changed(pick(obj), pick(old) ?? {}) ?? {};
  delete set["."];
  return set;
}

function subtract(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = {};
  for (const [k, v] of Object.entries(a)) {
    if (!(k in b)) out[k] = v;
    else if (isObj(v) && Object.keys(v).length && isObj(b[k]) && Object.keys(b[k] as object).length) {
      const rest = subtract(v, b[k] as FieldSet);
      if (Object.keys(rest).some((x) => x !== ".")) out[k] = rest;
    }
  }
  return out;
}

function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(out[k]) && isObj(v) ? union(out[k] as FieldSet, v) : v;
  return out;
}

export interface ManagedFieldsUpdate {
  manager: string;
  apiVersion: string;
  subresource: string;
  changedFields: FieldSet;
}

/** Records an Update by `manager` in the entries: it takes the changed fields from everyone else. */
export function recordUpdate(entries: ManagedFieldsEntry[] | undefined, upd: ManagedFieldsUpdate): ManagedFieldsEntry[] | undefined {
  if (Object.keys(upd.changedFields).length === 0) return entries;
  const out: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of entries ?? []) {
    const isMine = e.manager === upd.manager && e.operation === "Update" && (e.subresource ?? "") === upd.subresource && e.apiVersion === upd.apiVersion;
    if (isMine) {
      mine = e;
      continue;
    }
    const rest = subtract((e.fieldsV1 ?? {}) as FieldSet, upd.changedFields);
    if (Object.keys(rest).length) out.push({ ...e, fieldsV1: rest });
  }
  const entry: ManagedFieldsEntry = {
    manager: upd.manager,
    operation: "Update",
    apiVersion: upd.apiVersion,
    time: nowTimestamp(),
    fieldsType: "FieldsV1",
    fieldsV1: union((mine?.fieldsV1 ?? {}) as FieldSet, upd.changedFields),
  };
  if (upd.subresource) entry.subresource = upd.subresource;
  out.push(entry);
  return out;
}

/** The default field manager: the User-Agent's program name, as upstream. */
export function defaultManager(userAgent: string | undefined): string {
  const ua = userAgent ?? "";
  const name = ua.split("/")[0];
  return name || "unknown";
}
