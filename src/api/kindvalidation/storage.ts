/** storage.k8s.io/v1 StorageClass validation as upstream's pkg/apis/storage/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asArray, asMap, asMaps, asNumber, asString } from "../access.ts";
import { dns1123Subdomain, duplicate, forbidden, invalid, notSupported, qualifiedName, required } from "../validation.ts";
import { optionalEnum, requiredEnum, sameValue, tooMany, unchanged } from "./common.ts";

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

/** Upstream's ValidateCSIDriverName (drivers' names, attachers): at most 63 characters, a subdomain once lower-cased. */
export function csiDriverName(name: string): string[] {
  if (!name) return [];
  const errs = name.length > 63 ? ["must be no more than 63 characters"] : [];
  if (!/^[a-zA-Z0-9][-a-zA-Z0-9_.]{0,61}[a-zA-Z-0-9]$/.test(name)) {
    errs.push("a CSI driver name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'csi-hostpath', regex used for validation is '^[a-zA-Z0-9][-a-zA-Z0-9_.]{0,61}[a-zA-Z-0-9]$')");
  }
  return [...errs, ...dns1123Subdomain(name.toLowerCase())];
}

/** Upstream's ValidateVolumeAttachment (+V1: CSI attacher names) / ValidateVolumeAttachmentUpdate (spec writes). */
export function validateVolumeAttachment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = asMap(obj.spec) ?? {};
  const attacher = asString(spec.attacher);
  const errs = attacher ? csiDriverName(attacher).map((m) => invalid("spec.attacher", { value: attacher, detail: m })) : [required("spec.attacher")];
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

function validateTokenRequests(requests: JsonMap[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  requests.forEach((r, i) => {
    const path = `spec.tokenRequests[${i}]`;
    const audience = asString(r.audience);
    if (seen.has(audience)) errs.push(duplicate(`${path}.audience`, audience));
    seen.add(audience);
    const exp = asNumber(r.expirationSeconds);
    if (exp !== undefined && exp < 600) errs.push(invalid(`${path}.expirationSeconds`, { value: exp, detail: "may not specify a duration less than 10 minutes" }));
    if (exp !== undefined && exp > 2 ** 32) errs.push(invalid(`${path}.expirationSeconds`, { value: exp, detail: "may not specify a duration larger than 2^32 seconds" }));
  });
  return errs;
}

/** Upstream's ValidateCSIDriver / ValidateCSIDriverUpdate (its "attachedRequired" path spelling included). */
export function validateCSIDriver(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = asMap(obj.spec) ?? {};
  const errs: FieldError[] = [];
  const flags: [string, string][] = [["attachRequired", "attachedRequired"], ["podInfoOnMount", "podInfoOnMount"], ["storageCapacity", "storageCapacity"]];
  for (const [k, path] of flags) if (typeof spec[k] !== "boolean") errs.push(required(`spec.${path}`));
  errs.push(...optionalEnum(spec.fsGroupPolicy, "spec.fsGroupPolicy", ["File", "None", "ReadWriteOnceWithFSType"]));
  errs.push(...validateTokenRequests(asMaps(spec.tokenRequests)));
  asArray(spec.volumeLifecycleModes).forEach((m, i) => errs.push(...optionalEnum(m, `spec.volumeLifecycleModes[${i}]`, ["Ephemeral", "Persistent"])));
  if (!old) return errs;
  const oldSpec = asMap(old.spec) ?? {};
  errs.push(...unchanged("spec.attachedRequired", { value: spec.attachRequired, old: oldSpec.attachRequired }));
  errs.push(...unchanged("spec.volumeLifecycleModes", { value: spec.volumeLifecycleModes, old: oldSpec.volumeLifecycleModes }));
  return errs;
}
