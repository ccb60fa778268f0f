/**
 * PersistentVolumeClaim spec rules (upstream's ValidatePersistentVolumeClaimSpec
 * and ValidatePersistentVolumeClaimUpdate), shared by PVCs and StatefulSets'
 * volumeClaimTemplates.
 */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asArray, asMap, asString } from "../access.ts";
import { QUANTITY_MESSAGE, quantityValue } from "../quantity.ts";
import { dns1123Subdomain, forbidden, invalid, notSupported, required, validateLabelSelector } from "../validation.ts";
import { sameValue, specOf } from "./common.ts";

/** The access modes a volume may be asked for. */
export const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

function validateAccessModes(modes: unknown[], path: string): FieldError[] {
  if (modes.length === 0) return [required(path, "at least 1 access mode is required")];
  const errs: FieldError[] = [];
  for (const m of modes) if (!ACCESS_MODES.includes(String(m))) errs.push(notSupported(path, { value: m, supported: ACCESS_MODES }));
  if (modes.includes("ReadWriteOncePod") && modes.length > 1) errs.push(forbidden(path, "may not use ReadWriteOncePod with other access modes"));
  return errs;
}

/** A storage request: present, a quantity, above zero. */
function validateStorageRequest(requests: JsonMap | undefined, path: string): FieldError[] {
  const field = `${path}.resources[storage]`;
  const storage = requests?.storage;
  if (storage === undefined || storage === null || storage === "") return [required(field)];
  const n = quantityValue(storage);
  if (n === undefined) return [invalid(`${path}.resources.requests[storage]`, { value: storage, detail: QUANTITY_MESSAGE })];
  return n > 0 ? [] : [invalid(field, { value: storage, detail: "must be greater than zero" })];
}

/** Upstream's ValidatePersistentVolumeClaimSpec at path ("spec", "spec.volumeClaimTemplates[0].spec"). */
export function validateClaimSpec(spec: JsonMap, path: string): FieldError[] {
  const errs = validateAccessModes(asArray(spec.accessModes), `${path}.accessModes`);
  if (spec.selector !== undefined) errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  errs.push(...validateStorageRequest(asMap(asMap(spec.resources)?.requests), path));
  const sc = spec.storageClassName;
  if (typeof sc === "string" && sc.length) for (const m of dns1123Subdomain(sc)) errs.push(invalid(`${path}.storageClassName`, { value: sc, detail: m }));
  if (spec.volumeMode !== undefined && spec.volumeMode !== null && !["Block", "Filesystem"].includes(asString(spec.volumeMode))) {
    errs.push(notSupported(`${path}.volumeMode`, { value: spec.volumeMode, supported: ["Block", "Filesystem"] }));
  }
  return errs;
}

function storageOf(m: unknown): unknown {
  return asMap(asMap(asMap(m)?.resources)?.requests)?.storage;
}

/**
 * Upstream's ValidatePersistentVolumeClaimUpdate: the spec is immutable except
 * volumeName (set once, by the binder) and, for a bound claim, the storage
 * request, which may grow but not shrink below what the volume already has.
 */
export function validateClaimUpdate(pvc: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(pvc);
  const oldSpec = specOf(old);
  const next = structuredClone(spec);
  const prev = structuredClone(oldSpec);
  if (!asString(oldSpec.volumeName)) prev.volumeName = next.volumeName;
  // the strategy keeps the stored status on spec writes, so the stored phase is the one that counts
  const bound = asString(asMap(old.status)?.phase) === "Bound";
  if (bound) {
    const requests = asMap(asMap(next.resources)?.requests);
    if (requests) requests.storage = storageOf(oldSpec);
  }
  const errs: FieldError[] = [];
  if (!sameValue(next, prev)) errs.push(forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
  const newSize = quantityValue(storageOf(spec));
  const capacity = quantityValue(asMap(asMap(old.status)?.capacity)?.storage);
  const oldSize = quantityValue(storageOf(oldSpec));
  // with RecoverVolumeExpansionFailure (on in 1.32) a request may shrink back, but never below the volume's size
  if (newSize !== undefined && capacity !== undefined && newSize < capacity) {
    errs.push(forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"));
  } else if (newSize !== undefined && capacity === undefined && oldSize !== undefined && newSize < oldSize) {
    errs.push(forbidden("spec.resources.requests.storage", "field can not be less than previous value"));
  }
  return errs;
}
