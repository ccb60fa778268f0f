/** node.k8s.io/v1 RuntimeClass validation as upstream's pkg/apis/node/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asString } from "../access.ts";
import { validateTolerations } from "../podvalidation/mod.ts";
import { QUANTITY_MESSAGE, quantityValue } from "../quantity.ts";
import { dns1123Label, invalid, validateLabels } from "../validation.ts";
import { unchanged } from "./common.ts";

function validateOverhead(overhead: unknown): FieldError[] {
  const fixed = asMap(asMap(overhead)?.podFixed) ?? {};
  return Object.entries(fixed).flatMap(([k, v]) => {
    const path = `overhead.podFixed[${k}]`;
    const n = quantityValue(v);
    if (n === undefined) return [invalid(path, { value: v, detail: QUANTITY_MESSAGE })];
    return n < 0 ? [invalid(path, { value: v, detail: "must be greater than or equal to 0" })] : [];
  });
}

/** Upstream's ValidateRuntimeClass / ValidateRuntimeClassUpdate: the handler is a DNS label and never changes. */
export function validateRuntimeClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const handler = asString(obj.handler);
  // an empty handler fails the label rule itself, as upstream's NameIsDNSLabel("") does
  const errs = dns1123Label(handler).map((m) => invalid("handler", { value: handler, detail: m }));
  errs.push(...validateOverhead(obj.overhead));
  const scheduling = asMap(obj.scheduling);
  if (scheduling) {
    errs.push(...validateLabels(scheduling.nodeSelector, "scheduling.nodeSelector"));
    errs.push(...validateTolerations(scheduling.tolerations, "scheduling.tolerations"));
  }
  if (old) errs.push(...unchanged("handler", { value: obj.handler, old: old.handler }));
  return errs;
}
