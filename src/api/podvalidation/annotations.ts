/** Pod annotations with meaning (mirror pods, deletion cost, seccomp and AppArmor) as upstream's ValidatePodSpecificAnnotations. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asMap, asMaps, asString } from "../access.ts";
import { forbidden, invalid } from "../validation.ts";
import { localDescendingPath } from "./common.ts";

const MIRROR = "kubernetes.io/config.mirror";
const DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
const SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER = "container.apparmor.security.beta.kubernetes.io/";

/** True when the text is a 32-bit integer, as upstream's strconv.ParseInt(v, 10, 32). */
function isInt32(v: string): boolean {
  return /^[+-]?\d+$/.test(v) && Number(v) >= -(2 ** 31) && Number(v) <= 2 ** 31 - 1;
}

/** Upstream's ValidateSeccompProfile for the deprecated annotations. */
function seccompAnnotation(p: string, field: string): FieldError[] {
  if (["runtime/default", "docker/default", "unconfined"].includes(p)) return [];
  if (p.startsWith("localhost/")) return localDescendingPath(field, p.slice("localhost/".length));
  return [invalid(field, { value: p, detail: "must be a valid seccomp profile" })];
}

function containerNames(spec: JsonMap): Set<string> {
  return new Set(["containers", "initContainers", "ephemeralContainers"].flatMap((k) => asMaps(spec[k]).map((c) => asString(c.name))));
}

export interface AnnotationOptions {
  /** where the annotations sit: "metadata.annotations" (a Pod) or "spec.template.annotations" */
  path: string;
  /** the old annotations on update: an invalid deletion cost already stored stays allowed */
  old?: Record<string, string>;
}

/** Upstream's ValidatePodSpecificAnnotations. */
export function validatePodAnnotations(raw: unknown, specRaw: unknown, opts: AnnotationOptions): FieldError[] {
  const ann = (asMap(raw) ?? {}) as Record<string, string>;
  const spec = asMap(specRaw) ?? {};
  const { path } = opts;
  const errs: FieldError[] = [];
  if (MIRROR in ann && !asString(spec.nodeName)) errs.push(invalid(`${path}[${MIRROR}]`, { value: ann[MIRROR], detail: "must set spec.nodeName if mirror pod annotation is set" }));
  const oldCostInvalid = opts.old?.[DELETION_COST] !== undefined && !isInt32(opts.old[DELETION_COST]);
  if (DELETION_COST in ann && !isInt32(ann[DELETION_COST]) && !oldCostInvalid) {
    errs.push(invalid(`${path}[${DELETION_COST}]`, { value: ann[DELETION_COST], detail: "must be a 32bit integer" }));
  }
  // upstream names the seccomp annotations as children of the path, not as keys
  if (SECCOMP_POD in ann) errs.push(...seccompAnnotation(ann[SECCOMP_POD], `${path}.${SECCOMP_POD}`));
  const names = containerNames(spec);
  for (const [k, v] of Object.entries(ann)) {
    if (k.startsWith(SECCOMP_CONTAINER)) errs.push(...seccompAnnotation(v, `${path}.${k}`));
    if (!k.startsWith(APPARMOR_CONTAINER)) continue;
    const container = k.slice(APPARMOR_CONTAINER.length);
    if (!names.has(container)) errs.push(invalid(`${path}[${k}]`, { value: container, detail: "container not found" }));
    if (v !== "" && v !== "runtime/default" && v !== "unconfined" && !v.startsWith("localhost/")) {
      errs.push(invalid(`${path}[${k}]`, { value: v, detail: `invalid AppArmor profile name: ${JSON.stringify(v)}` }));
    }
  }
  return errs;
}

/** Upstream's ValidatePodSpecificAnnotationUpdates: AppArmor and mirror annotations are fixed at creation. */
export function validatePodAnnotationsUpdate(raw: unknown, oldRaw: unknown): FieldError[] {
  const now = (asMap(raw) ?? {}) as Record<string, string>;
  const old = (asMap(oldRaw) ?? {}) as Record<string, string>;
  const fixed = (k: string): boolean => k.startsWith(APPARMOR_CONTAINER) || k === MIRROR;
  const what = (k: string): string => (k === MIRROR ? "mirror pod annotation" : "AppArmor annotations");
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(old)) {
    if (fixed(k) && now[k] !== v) errs.push(forbidden(`metadata.annotations[${k}]`, `may not remove or update ${what(k)}`));
  }
  for (const k of Object.keys(now)) {
    if (fixed(k) && !(k in old)) errs.push(forbidden(`metadata.annotations[${k}]`, `may not add ${what(k)}`));
  }
  return errs;
}
