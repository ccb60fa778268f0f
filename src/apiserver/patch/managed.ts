/**
 * metadata.managedFields in memory: one field set per manager identity
 * (manager, operation, apiVersion for updates, subresource), decoded from and
 * encoded to the API's ManagedFieldsEntry list in upstream's order.
 */
import type { ManagedFieldsEntry } from "../../api/types.ts";
import { PatchError } from "./errors.ts";
import { FieldSet, fromFieldsV1, pathString, toFieldsV1 } from "./fieldpath.ts";
import type { FieldPath } from "./fieldpath.ts";

/** One manager's ownership. */
export interface ManagerSet {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Manager identity → ownership. */
export type Managers = Map<string, ManagerSet>;

/** Upstream's identity of an entry: appliers keep one entry whatever version they apply with. */
export function managerKey(m: Pick<ManagerSet, "manager" | "operation" | "apiVersion" | "subresource">): string {
  return JSON.stringify([m.manager, m.operation, m.operation === "Apply" ? "" : m.apiVersion, m.subresource ?? ""]);
}

/** How a manager is named in conflict messages: `"kubectl-client-side-apply" using v1`. */
export function printManager(m: ManagerSet): string {
  let out = JSON.stringify(m.manager);
  if (m.subresource) out += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === "Update") out += ` using ${m.apiVersion}`;
  return out;
}

/** Decodes managedFields; an entry that cannot be read is a 400. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managers {
  const out: Managers = new Map();
  for (const e of entries ?? []) {
    if (e.fieldsType !== undefined && e.fieldsType !== "FieldsV1") {
      throw new PatchError(400, `invalid managedFields: unsupported fieldsType ${JSON.stringify(e.fieldsType)}`);
    }
    if (e.operation !== "Apply" && e.operation !== "Update") {
      throw new PatchError(400, `invalid managedFields: unsupported operation ${JSON.stringify(e.operation)}`);
    }
    const m: ManagerSet = {
      manager: e.manager ?? "",
      operation: e.operation,
      apiVersion: e.apiVersion ?? "",
      set: fromFieldsV1(e.fieldsV1 ?? {}),
    };
    if (e.subresource) m.subresource = e.subresource;
    if (e.time) m.time = e.time;
    out.set(managerKey(m), m);
  }
  return out;
}

function seconds(time: string | undefined): number {
  return time ? Math.floor(Date.parse(time) / 1000) : 0;
}

/** Encodes managers as managedFields in upstream's order (Apply first, then by time, manager, version). */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const list = [...managers.values()].filter((m) => !m.set.isEmpty());
  list.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? "", q.subresource ?? ""),
  );
  return list.map((m) => {
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = "FieldsV1";
    e.fieldsV1 = toFieldsV1(m.set);
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Fields never recorded as owned (upstream's stripMeta). */
export const strippedPaths: readonly FieldPath[] = [
  ["f:apiVersion"],
  ["f:kind"],
  ["f:metadata"],
  ...["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"].map(
    (f) => ["f:metadata", "f:" + f],
  ),
];

/** The set without the paths upstream never records. */
export function stripMeta(set: FieldSet): FieldSet {
  return set.difference(new FieldSet(strippedPaths));
}

/** Upstream keeps at most this many Update entries; older ones merge into "ancient-changes". */
export const maxUpdateManagers = 10;

/** Merges the oldest Update entries per version into an "ancient-changes" bucket beyond the cap. */
export function capUpdateManagers(managers: Managers): void {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === "Update");
  if (updaters.length <= maxUpdateManagers) return;
  updaters.sort(([ka, a], [kb, b]) => seconds(a.time) - seconds(b.time) || cmp(ka, kb));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [key, m] of updaters) {
    if (length <= maxUpdateManagers) break;
    const bucketKey = managerKey({ manager: "ancient-changes", operation: "Update", apiVersion: m.apiVersion });
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, key);
      continue;
    }
    let bucket = managers.get(bucketKey);
    if (!bucket) {
      const firstSet = managers.get(first)!;
      managers.delete(first);
      bucket = { ...firstSet, manager: "ancient-changes", subresource: undefined };
      delete bucket.subresource;
      managers.set(bucketKey, bucket);
    }
    bucket.set = bucket.set.union(m.set);
    if (m.time) bucket.time = m.time;
    managers.delete(key);
    length--;
  }
}

/** Renders a conflicting path as in upstream messages. */
export function conflictPath(path: FieldPath): string {
  return pathString(path);
}

/** Upstream's limit on a field manager's length in bytes. */
export const fieldManagerMaxLength = 128;

/**
 * The manager a write is recorded under: ?fieldManager= when given, else the
 * User-Agent up to its first "/" (printable characters, at most 128 bytes).
 */
export function fieldManagerFor(fieldManager: string | null | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  let out = "";
  for (const ch of (userAgent ?? "").split("/")[0]) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) continue;
    if (Buffer.byteLength(out + ch) > fieldManagerMaxLength) break;
    out += ch;
  }
  return out;
}
