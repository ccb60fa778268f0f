/** PersistentVolume and PersistentVolumeClaim validation as upstream's core validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asArray, asMap, asString } from "../access.ts";
import { validateNodeSelector } from "../podvalidation/mod.ts";
import { QUANTITY_MESSAGE, quantityValue } from "../quantity.ts";
import { dns1123Subdomain, forbidden, invalid, notSupported, required } from "../validation.ts";
import { ACCESS_MODES, validateClaimSpec, validateClaimUpdate } from "./claims.ts";
import { sameValue, specOf, unchanged, without } from "./common.ts";

/** The volume sources a PersistentVolume may name (exactly one). */
const PV_SOURCES = ["gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs", "rbd", "iscsi", "cinder", "cephfs", "fc", "flocker",
  "flexVolume", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "local", "storageos", "csi"];

function validateCapacity(capacity: JsonMap | undefined): FieldError[] {
  if (!capacity || Object.keys(capacity).length === 0) return [required("spec.capacity")];
  if (!("storage" in capacity) || Object.keys(capacity).length > 1) return [notSupported("spec.capacity", { value: capacity, supported: ["storage"] })];
  const n = quantityValue(capacity.storage);
  if (n === undefined) return [invalid("spec.capacity[storage]", { value: capacity.storage, detail: QUANTITY_MESSAGE })];
  return n > 0 ? [] : [invalid("spec.capacity[storage]", { value: capacity.storage, detail: "must be greater than zero" })];
}

/** One source only; a local volume needs a path and node affinity. */
function validateSource(spec: JsonMap): FieldError[] {
  const present = PV_SOURCES.filter((k) => asMap(spec[k]));
  if (present.length === 0) return [required("spec", "must specify a volume type")];
  const errs = present.slice(1).map((k) => forbidden(`spec.${k}`, "may not specify more than 1 volume type"));
  const local = asMap(spec.local);
  if (present[0] === "local" && local) {
    if (!asString(local.path)) errs.push(required("spec.local.path"));
    if (!asMap(spec.nodeAffinity)) errs.push(required("spec.nodeAffinity", "Local volume requires node affinity"));
  }
  const hostPath = asMap(spec.hostPath);
  if (present[0] === "hostPath" && hostPath && !asString(hostPath.path)) errs.push(required("spec.hostPath.path"));
  return errs;
}

function validateNodeAffinity(spec: JsonMap): FieldError[] {
  const na = asMap(spec.nodeAffinity);
  if (!na) return [];
  if (!asMap(na.required)) return [required("spec.nodeAffinity.required", "must specify required node constraints")];
  return validateNodeSelector(na.required, "spec.nodeAffinity.required");
}

/** Upstream's ValidatePersistentVolumeSpec. */
function validatePersistentVolumeSpec(spec: JsonMap): FieldError[] {
  const errs: FieldError[] = [];
  const modes = asArray(spec.accessModes);
  if (modes.length === 0) errs.push(required("spec.accessModes"));
  for (const m of modes) if (!ACCESS_MODES.includes(String(m))) errs.push(notSupported("spec.accessModes", { value: m, supported: ACCESS_MODES }));
  if (modes.includes("ReadWriteOncePod") && modes.length > 1) errs.push(forbidden("spec.accessModes", "may not use ReadWriteOncePod with other access modes"));
  errs.push(...validateCapacity(asMap(spec.capacity)));
  const reclaim = spec.persistentVolumeReclaimPolicy;
  if (reclaim && !["Delete", "Recycle", "Retain"].includes(asString(reclaim))) {
    errs.push(notSupported("spec.persistentVolumeReclaimPolicy", { value: reclaim, supported: ["Delete", "Recycle", "Retain"] }));
  }
  const sc = spec.storageClassName;
  if (typeof sc === "string" && sc) for (const m of dns1123Subdomain(sc)) errs.push(invalid("spec.storageClassName", { value: sc, detail: m }));
  if (spec.volumeMode !== undefined && spec.volumeMode !== null && !["Block", "Filesystem"].includes(asString(spec.volumeMode))) {
    errs.push(notSupported("spec.volumeMode", { value: spec.volumeMode, supported: ["Block", "Filesystem"] }));
  }
  errs.push(...validateSource(spec), ...validateNodeAffinity(spec));
  return errs;
}

/** The fields of a PV spec that are not its source. */
const PV_NON_SOURCE = ["capacity", "accessModes", "claimRef", "persistentVolumeReclaimPolicy", "storageClassName", "mountOptions", "volumeMode", "nodeAffinity", "volumeAttributesClassName"];

/** Upstream's ValidatePersistentVolume / ValidatePersistentVolumeUpdate (spec writes). */
export function validatePersistentVolume(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = validatePersistentVolumeSpec(spec);
  if (!old) return errs;
  const oldSpec = specOf(old);
  if (!sameValue(without(spec, PV_NON_SOURCE), without(oldSpec, PV_NON_SOURCE))) {
    errs.push(forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation"));
  }
  errs.push(...unchanged("volumeMode", { value: spec.volumeMode, old: oldSpec.volumeMode }));
  // node affinity may be set once, then only kept
  if (asMap(oldSpec.nodeAffinity)) errs.push(...unchanged("nodeAffinity", { value: spec.nodeAffinity, old: oldSpec.nodeAffinity }));
  return errs;
}

/** Upstream's ValidatePersistentVolumeClaim / ValidatePersistentVolumeClaimUpdate (spec writes). */
export function validatePersistentVolumeClaim(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateClaimSpec(specOf(obj), "spec");
  if (old) errs.push(...validateClaimUpdate(obj, old));
  return errs;
}
