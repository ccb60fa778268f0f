/** storage.k8s.io/v1 StorageClass validation as upstream's pkg/apis/storage/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asString } from "../access.ts";
import { forbidden, invalid, notSupported, qualifiedName, required } from "../validation.ts";
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
