/** Ephemeral containers (kubectl debug) as upstream's validateEphemeralContainers and ValidatePodEphemeralContainersUpdate. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asMaps, asString } from "../access.ts";
import { duplicate, forbidden, invalid } from "../validation.ts";
import { sameValue } from "../kindvalidation/common.ts";
import { type ContainerContext, validateContainerCommon } from "./containers.ts";

/** Fields an ephemeral container may not set: they would make it part of the workload. */
const DISALLOWED = ["ports", "resources", "resizePolicy", "lifecycle", "livenessProbe", "readinessProbe", "startupProbe", "restartPolicy"];

function isSet(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** Upstream's validateContainerOnlyForPod: a Pod's image has no surrounding blanks. */
export function validateImageWhitespace(c: JsonMap, path: string): FieldError[] {
  const image = asString(c.image);
  return image !== image.trim() ? [invalid(`${path}.image`, { value: image, detail: "must not have leading or trailing whitespace" })] : [];
}

/** Upstream's validateEphemeralContainers, at path ("spec.ephemeralContainers"). */
export function validateEphemeralContainers(spec: JsonMap, path: string, ctx: ContainerContext): FieldError[] {
  const others = new Set([...asMaps(spec.containers), ...asMaps(spec.initContainers)].map((c) => asString(c.name)));
  const names = new Set(others);
  const errs: FieldError[] = [];
  asMaps(spec.ephemeralContainers).forEach((c, i) => {
    const at = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, at, ctx), ...validateImageWhitespace(c, at));
    const name = asString(c.name);
    if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
    names.add(name);
    const target = asString(c.targetContainerName);
    if (target && !others.has(target)) errs.push({ type: "FieldValueNotFound", field: `${at}.targetContainerName`, message: `Not found: ${JSON.stringify(target)}` });
    for (const k of DISALLOWED) if (isSet(c[k])) errs.push(forbidden(`${at}.${k}`, "cannot be set for an Ephemeral Container"));
    asMaps(c.volumeMounts).forEach((m, j) => {
      for (const k of ["subPath", "subPathExpr"]) if (asString(m[k])) errs.push(forbidden(`${at}.volumeMounts[${j}].${k}`, "cannot be set for an Ephemeral Container"));
    });
  });
  return errs;
}

/** Upstream's ValidatePodEphemeralContainersUpdate: not for static pods; existing ephemeral containers may be neither removed nor changed. */
export function validateEphemeralContainersUpdate(spec: JsonMap, old: JsonMap, oldAnnotations: Record<string, string> = {}): FieldError[] {
  if ("kubernetes.io/config.mirror" in oldAnnotations) return [forbidden("", "static pods do not support ephemeral containers")];
  const now = new Map(asMaps(spec.ephemeralContainers).map((c) => [asString(c.name), c]));
  const errs: FieldError[] = [];
  for (const o of asMaps(old.ephemeralContainers)) {
    const name = asString(o.name);
    const n = now.get(name);
    if (!n) errs.push(forbidden("spec.ephemeralContainers", `existing ephemeral containers ${JSON.stringify(name)} may not be removed\n`));
    else if (!sameValue(n, o)) errs.push(forbidden("spec.ephemeralContainers", `existing ephemeral containers ${JSON.stringify(name)} may not be changed\n`));
  }
  return errs;
}
