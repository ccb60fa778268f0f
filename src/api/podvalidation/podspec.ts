/** Upstream's ValidatePodSpec: the whole pod spec, delegating to one module per part. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asArray, asMap, asMaps, asNumber, asString } from "../access.ts";
import { dns1123Label, dns1123Subdomain, forbidden, invalid, validateLabels } from "../validation.ts";
import { validateAffinity } from "./affinity.ts";
import { inRange, oneOf, requiredOneOf } from "./common.ts";
import { type ContainerContext, validateContainers, validateInitContainers } from "./containers.ts";
import { validateEphemeralContainers, validateImageWhitespace } from "./ephemeral.ts";
import { validateDNS, validateGates, validateHostAliases, validateHostProcess, validateOS, validateResourceClaims } from "./podfields.ts";
import { validateResources } from "./resources.ts";
import { podHostUsers, validateHostUsers, validatePodSecurityContext } from "./securitycontext.ts";
import { validateTolerations } from "./tolerations.ts";
import { validateTopologySpreadConstraints } from "./topology.ts";
import { validateVolumes } from "./volumes.ts";

/** Where a pod spec sits and what kind of object holds it. */
export interface PodSpecOptions {
  /** where the spec sits: "spec" or "spec.template.spec" */
  path: string;
  /** a Pod itself, not a template */
  pod: boolean;
  /** volume names provided from outside the spec (a StatefulSet's volumeClaimTemplates) */
  extraVolumes?: string[];
  /** the Pod's name (for the PVCs of generic ephemeral volumes) */
  podName?: string;
}

/** Upstream's validatePodHostNetworkDeps: with hostNetwork, a host port equals its container port. */
function validateHostNetworkPorts(spec: JsonMap, path: string, pod: boolean): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  asMaps(spec.containers).forEach((c, i) => asMaps(c.ports).forEach((port, j) => {
    const hp = asNumber(port.hostPort) ?? 0;
    // a template may leave hostPort 0: it is defaulted when the pod is made
    if ((pod || hp !== 0) && hp !== asNumber(port.containerPort)) {
      errs.push(invalid(`${path}.containers[${i}].ports[${j}].hostPort`, { value: hp, detail: "must match `containerPort` when `hostNetwork` is true" }));
    }
  }));
  return errs;
}

/** Invalid errors for each named string field the rule refuses (empty means unset, except runtimeClassName). */
function validateNames(spec: JsonMap, path: string, rules: [string, (v: string) => string[]][]): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, rule] of rules) {
    const v = spec[key];
    if (typeof v === "string" && (v || key === "runtimeClassName")) errs.push(...rule(v).map((detail) => invalid(`${path}.${key}`, { value: v, detail })));
  }
  return errs;
}

function containerContext(spec: JsonMap, volumes: ContainerContext["volumes"]): ContainerContext {
  const claims = new Set(asMaps(spec.resourceClaims).map((c) => asString(c.name)).filter((n) => n));
  return { volumes, gracePeriod: asNumber(spec.terminationGracePeriodSeconds), restartPolicy: asString(spec.restartPolicy), hostUsers: podHostUsers(spec), claims };
}

/** Upstream's ValidatePodSpec, at opts.path. */
export function validatePodSpec(raw: unknown, opts: PodSpecOptions): FieldError[] {
  const { path, pod } = opts;
  const spec = asMap(raw) ?? {};
  const { volumes, errs } = validateVolumes(spec.volumes, { path: `${path}.volumes`, pod, podName: opts.podName });
  for (const name of opts.extraVolumes ?? []) if (!volumes.has(name)) volumes.set(name, "persistentVolumeClaim");
  errs.push(...validateResourceClaims(spec.resourceClaims, `${path}.resourceClaims`));
  const ctx = containerContext(spec, volumes);
  const containers = asMaps(spec.containers);
  errs.push(...validateContainers(containers, `${path}.containers`, ctx));
  errs.push(...validateInitContainers(asMaps(spec.initContainers), containers, `${path}.initContainers`, ctx));
  errs.push(...validateEphemeralContainers(spec, `${path}.ephemeralContainers`, ctx));
  errs.push(...validateHostNetworkPorts(spec, path, pod));
  // both are defaulted before validation: only a wrong value is reported
  errs.push(...oneOf(`${path}.restartPolicy`, spec.restartPolicy, ["Always", "OnFailure", "Never"]));
  errs.push(...oneOf(`${path}.dnsPolicy`, spec.dnsPolicy, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validatePodSecurityContext(spec, `${path}.securityContext`));
  // upstream's imagePullSecrets rule ("only name may be set") cannot fail for a v1 object: its reference has only a name
  errs.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  errs.push(...validateDNS(spec, `${path}.dnsConfig`));
  errs.push(...validateGates(spec, path));
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  errs.push(...validateHostProcess(spec, path), ...validateHostUsers(spec, path));
  errs.push(...validateNames(spec, path, [["serviceAccountName", dns1123Subdomain], ["nodeName", dns1123Subdomain]]));
  errs.push(...inRange(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, [1, 2147483647]));
  errs.push(...validateNames(spec, path, [["hostname", dns1123Label], ["subdomain", dns1123Label]]));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  errs.push(...validateHostAliases(spec.hostAliases, `${path}.hostAliases`));
  errs.push(...validateNames(spec, path, [["priorityClassName", dns1123Subdomain], ["runtimeClassName", dns1123Subdomain]]));
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null) errs.push(...requiredOneOf(`${path}.preemptionPolicy`, spec.preemptionPolicy, ["PreemptLowerPriority", "Never"]));
  if (asMap(spec.overhead)) errs.push(...validateResources({ limits: spec.overhead }, `${path}.overhead`));
  errs.push(...validateOS(spec, path));
  return errs;
}

/** Checks upstream makes for a Pod (not a template) on create and update. */
export function validatePodOnly(raw: unknown): FieldError[] {
  const spec = asMap(raw) ?? {};
  const errs: FieldError[] = [];
  if (!asString(spec.serviceAccountName)) {
    asMaps(spec.volumes).forEach((v, i) => asMaps(asMap(v.projected)?.sources).forEach((s, j) => {
      if (asMap(s.serviceAccountToken)) errs.push(forbidden(`spec.volumes[${i}].projected.sources[${j}].serviceAccountToken`, "must not be specified when serviceAccountName is not set"));
    }));
  }
  for (const key of ["containers", "initContainers"]) asMaps(spec[key]).forEach((c, i) => errs.push(...validateImageWhitespace(c, `spec.${key}[${i}]`)));
  return errs;
}

/** Upstream's ValidatePodCreate extras: no ephemeral containers yet, no node while scheduling gates remain. */
export function validatePodCreate(raw: unknown): FieldError[] {
  const spec = asMap(raw) ?? {};
  const errs: FieldError[] = [];
  if (asArray(spec.ephemeralContainers).length) errs.push(forbidden("spec.ephemeralContainers", "cannot be set on create"));
  if (asString(spec.nodeName) && asArray(spec.schedulingGates).length) errs.push(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"));
  return errs;
}

/** Upstream's ValidatePodTemplateSpec extra: templates carry no ephemeral containers. */
export function validateTemplateOnly(raw: unknown, path: string): FieldError[] {
  return asArray(asMap(raw)?.ephemeralContainers).length ? [forbidden(`${path}.ephemeralContainers`, "ephemeral containers not allowed in pod template")] : [];
}
