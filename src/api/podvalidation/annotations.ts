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

/** Where pod annotations sit and what was stored before. */
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

const SECCOMP_TYPES: Record<string, string[]> = { Unconfined: ["unconfined"], RuntimeDefault: ["runtime/default", "docker/default"] };

/** Upstream's validateSeccompAnnotationsAndFieldsMatch: a deprecated annotation and the field must agree. */
function seccompMatch(annotation: string, fieldRaw: unknown, path: string): FieldError[] {
  const f = asMap(fieldRaw);
  if (!f) return [];
  const type = asString(f.type);
  if (SECCOMP_TYPES[type] && !SECCOMP_TYPES[type].includes(annotation)) return [forbidden(`${path}.type`, "seccomp type in annotation and field must match")];
  if (type !== "Localhost") return [];
  if (!annotation.startsWith("localhost/")) return [forbidden(`${path}.type`, "seccomp type in annotation and field must match")];
  return annotation.slice("localhost/".length) !== f.localhostProfile ? [forbidden(`${path}.localhostProfile`, "seccomp profile in annotation and field must match")] : [];
}

/** Upstream's AppArmor counterpart (validateAppArmorAnnotationsAndFieldsMatchOnCreate). */
function appArmorMatch(annotation: string, profile: JsonMap, path: string): FieldError[] {
  const type = asString(profile.type);
  const want: Record<string, string> = { Unconfined: "unconfined", RuntimeDefault: "runtime/default" };
  if (want[type] !== undefined) return annotation !== want[type] ? [forbidden(`${path}.type`, "apparmor type in annotation and field must match")] : [];
  if (type !== "Localhost") return [];
  if (!annotation.startsWith("localhost/")) return [forbidden(`${path}.type`, "apparmor type in annotation and field must match")];
  return annotation.slice("localhost/".length) !== profile.localhostProfile ? [forbidden(`${path}.localhostProfile`, "apparmor profile in annotation and field must match")] : [];
}

/** Where both a deprecated seccomp/AppArmor annotation and its field are set, they must agree (pods on create, and templates). */
export function validateAnnotationsMatchFields(raw: unknown, specRaw: unknown, specPath: string): FieldError[] {
  const ann = (asMap(raw) ?? {}) as Record<string, string>;
  const spec = asMap(specRaw) ?? {};
  const podSc = asMap(spec.securityContext) ?? {};
  const errs = SECCOMP_POD in ann ? seccompMatch(ann[SECCOMP_POD], podSc.seccompProfile, `${specPath}.securityContext.seccompProfile`) : [];
  const windows = asString(asMap(spec.os)?.name) === "windows";
  for (const key of ["initContainers", "containers", "ephemeralContainers"]) {
    asMaps(spec[key]).forEach((c, i) => {
      const name = asString(c.name);
      const at = `${specPath}.${key}[${i}].securityContext`;
      const sc = asMap(c.securityContext) ?? {};
      if (`${SECCOMP_CONTAINER}${name}` in ann) errs.push(...seccompMatch(ann[`${SECCOMP_CONTAINER}${name}`], sc.seccompProfile, `${at}.seccompProfile`));
      const profile = asMap(sc.appArmorProfile) ?? asMap(podSc.appArmorProfile);
      if (!windows && profile && `${APPARMOR_CONTAINER}${name}` in ann) errs.push(...appArmorMatch(ann[`${APPARMOR_CONTAINER}${name}`], profile, `${at}.appArmorProfile`));
    });
  }
  return errs;
}
