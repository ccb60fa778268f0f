/** storage.k8s.io/v1 StorageClass validation as upstream's pkg/apis/storage/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asString } from "../access.ts";
import { dns1123Subdomain, forbidden, invalid, notSupported, qualifiedName, required } from "../validation.ts";
import { requiredEnum, sameValue, tooMany, unchanged } from "./common.ts";

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

function validateParameters(params: unknown): FieldError[] {
  const m = asMap(params);
  if (!m) return [];
  const errs: FieldError[] = [];
  const keys = Object.keys(m);
  if (keys.length > MAX_PARAMETERS) errs.push(tooMany("parameters", keys.length, MAX_PARAMETERS));
  let size = 0;
  for (const k of keys) {
    if (!k) errs.push(invalid("parameters", { value: k, detail: "field can not be empty." }));
    size += k.length + asString(m[k]).length;
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push({ type: "FieldValueTooLong", field: "parameters", message: `Too long: may not be more than ${MAX_PARAMETERS_SIZE} bytes` });
  return errs;
}

/** Upstream's ValidateStorageClass / ValidateStorageClassUpdate. */
export function validateStorageClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const provisioner = asString(obj.provisioner);
  const errs: FieldError[] = [];
  if (!provisioner) errs.push(required("provisioner"));
  else for (const m of qualifiedName(provisioner.toLowerCase())) errs.push(invalid("provisioner", { value: provisioner, detail: m }));
  errs.push(...validateParameters(obj.parameters));
  const reclaim = asString(obj.reclaimPolicy);
  if (reclaim && reclaim !== "Delete" && reclaim !== "Retain") errs.push(notSupported("reclaimPolicy", { value: reclaim, supported: ["Delete", "Retain"] }));
  errs.push(...requiredEnum(obj.volumeBindingMode, "volumeBindingMode", ["Immediate", "WaitForFirstConsumer"]));
  if (!old) return errs;
  if (!sameValue(obj.parameters, old.parameters)) errs.push(forbidden("parameters", "updates to parameters are forbidden."));
  if (obj.provisioner !== old.provisioner) errs.push(forbidden("provisioner", "updates to provisioner are forbidden."));
  if (!sameValue(obj.reclaimPolicy, old.reclaimPolicy)) errs.push(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
  errs.push(...unchanged("volumeBindingMode", { value: obj.volumeBindingMode, old: old.volumeBindingMode }));
  return errs;
}

/** Upstream's CSI driver name rule (attachers, drivers): at most 63 characters, a subdomain once lower-cased. */
function csiDriverName(name: string, path: string): FieldError[] {
  if (!name) return [required(path)];
  const errs: FieldError[] = name.length > 63 ? [{ type: "FieldValueTooLong", field: path, message: "Too long: may not be more than 63 bytes" }] : [];
  if (!/^[a-zA-Z0-9][-a-zA-Z0-9_.]{0,61}[a-zA-Z-0-9]$/.test(name)) {
    errs.push(invalid(path, { value: name, detail: "a CSI driver name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'csi-hostpath', regex used for validation is '^[a-zA-Z0-9][-a-zA-Z0-9_.]{0,61}[a-zA-Z-0-9]$')" }));
  }
  for (const m of dns1123Subdomain(name.toLowerCase())) errs.push(invalid(path, { value: name, detail: m }));
  return errs;
}

/** Upstream's ValidateVolumeAttachment (+V1: CSI attacher names) / ValidateVolumeAttachmentUpdate (spec writes). */
export function validateVolumeAttachment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = asMap(obj.spec) ?? {};
  const errs = csiDriverName(asString(spec.attacher), "spec.attacher");
  const source = asMap(spec.source) ?? {};
  const named = source.persistentVolumeName !== undefined && source.persistentVolumeName !== null;
  const inline = asMap(source.inlineVolumeSpec) !== undefined;
  const oneOf = "must specify exactly one of inlineVolumeSpec and persistentVolumeName";
  if (!named && !inline) errs.push(required("spec.source", oneOf));
  else if (named && inline) errs.push(forbidden("spec.source", oneOf));
  else if (named && !asString(source.persistentVolumeName)) errs.push(required("spec.source.persistentVolumeName"));
  const node = asString(spec.nodeName);
  if (!node) errs.push(required("spec.nodeName"));
  else for (const m of dns1123Subdomain(node)) errs.push(invalid("spec.nodeName", { value: node, detail: m }));
  if (old && !sameValue(obj.spec, old.spec)) errs.push(invalid("spec", { value: obj.spec, detail: "field is immutable" }));
  return errs;
}
