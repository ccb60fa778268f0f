/** Event validation as upstream's ValidateEventCreate (1.32), for core/v1 and events.k8s.io/v1 (stored as core/v1). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asNumber, asString } from "../access.ts";
import { eventToCore } from "../conversion.ts";
import { invalid, qualifiedName, required } from "../validation.ts";

/** How a field is named in the request's version (core calls the reporter reportingComponent, events.k8s.io reportingController). */
interface FieldNames {
  reporter: string;
  note: string;
  involved: string;
}

function atMost(v: unknown, field: string, max: number): FieldError[] {
  return asString(v).length > max ? [invalid(field, { value: "", detail: `can have at most ${max} characters` })] : [];
}

/** Upstream's legacyValidateEvent on the core form: namespaces agree; events with eventTime name their reporter. */
function legacyEvent(core: KubeObject, names: FieldNames): FieldError[] {
  const ns = core.metadata.namespace ?? "";
  const involvedNs = asString(asMap(core.involvedObject)?.namespace);
  const mismatch = invalid(`${names.involved}.namespace`, { value: involvedNs, detail: "does not match event.namespace" });
  const errs: FieldError[] = [];
  if (!asString(core.eventTime)) {
    // old-style events: a cluster-scoped object's events live in "" or default
    if (!involvedNs ? ns !== "" && ns !== "default" : ns !== involvedNs) errs.push(mismatch);
    return errs;
  }
  if (!involvedNs && ns !== "default" && ns !== "kube-system") errs.push(mismatch);
  const reporter = asString(core.reportingComponent);
  if (!reporter) errs.push(required(names.reporter));
  for (const m of qualifiedName(reporter)) errs.push(invalid(names.reporter, { value: reporter, detail: m }));
  for (const k of ["reportingInstance", "action", "reason"]) {
    if (!asString(core[k])) errs.push(required(k));
    errs.push(...atMost(core[k], k, 128));
  }
  errs.push(...atMost(core.message, names.note, 1024));
  return errs;
}

/** A core/v1 Event. */
export function validateEvent(obj: KubeObject): FieldError[] {
  return legacyEvent(obj, { reporter: "reportingComponent", note: "message", involved: "involvedObject" });
}

/** An events.k8s.io/v1 Event: the legacy rules, then the strict ones of the new API (no deprecated fields). */
export function validateEventsV1(obj: KubeObject): FieldError[] {
  const errs = legacyEvent(eventToCore(obj), { reporter: "reportingController", note: "note", involved: "regarding" });
  if (!asString(obj.eventTime)) errs.push(required("eventTime"));
  if (obj.type !== "Normal" && obj.type !== "Warning") errs.push(invalid("type", { value: "", detail: `has invalid value: ${asString(obj.type)}` }));
  for (const k of ["deprecatedFirstTimestamp", "deprecatedLastTimestamp"]) if (asString(obj[k])) errs.push(invalid(k, { value: "", detail: "needs to be unset" }));
  if ((asNumber(obj.deprecatedCount) ?? 0) !== 0) errs.push(invalid("deprecatedCount", { value: "", detail: "needs to be unset" }));
  const source = asMap(obj.deprecatedSource);
  if (asString(source?.component) || asString(source?.host)) errs.push(invalid("deprecatedSource", { value: "", detail: "needs to be unset" }));
  return errs;
}
