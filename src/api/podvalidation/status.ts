/** A Pod's status as upstream's ValidatePodStatusUpdate: condition types, pod and host IPs, the nominated node. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asMap, asMaps, asNumber, asString } from "../access.ts";
import { dns1123Subdomain, duplicate, forbidden, invalid, ipAddress, qualifiedName } from "../validation.ts";

const SYSTEM_CONDITIONS = ["PodScheduled", "Ready", "Initialized"];

/** Upstream's validatePodConditions: custom condition types are qualified names (its path says "Type"). */
function validateConditions(status: JsonMap): FieldError[] {
  return asMaps(status.conditions).flatMap((c, i) => {
    const type = asString(c.type);
    if (SYSTEM_CONDITIONS.includes(type)) return [];
    // upstream reports these under metadata, a slip kept for fidelity
    return qualifiedName(type).map((detail) => invalid(`metadata.conditions[${i}].Type`, { value: type, detail }));
  });
}

/** Valid IPs, at most one per family, no duplicates (upstream's validatePodIPs / validateHostIPs). */
function validateIPs(list: JsonMap[], path: string): FieldError[] {
  const ips = list.map((p) => asString(p.ip));
  const errs = ips.flatMap((ip, i) => ipAddress(ip).map((detail) => invalid(`${path}[${i}]`, { value: ip, detail })));
  // the family check needs valid addresses
  if (ips.length < 2 || errs.length) return errs;
  const seen = new Set<string>();
  ips.forEach((ip, i) => {
    if (seen.has(ip)) errs.push(duplicate(`${path}[${i}]`, list[i]));
    seen.add(ip);
  });
  const v6 = ips.filter((ip) => ip.includes(":")).length;
  if (ips.length > 2 || v6 !== 1) errs.push(invalid(path, { value: list, detail: "may specify no more than one IP for each IP family" }));
  return errs;
}

/** Which containers may leave the terminated state: for restartPolicy Never none, for OnFailure the failed ones. */
export interface TransitionRules {
  restartPolicy: string;
  /** init containers with restartPolicy Always (sidecars) restart freely */
  sidecars?: Set<string>;
}

/** Upstream's ValidateContainerStateTransition / ValidateInitContainerStateTransition. */
function validateTransitions(now: unknown, before: unknown, path: string, rules: TransitionRules): FieldError[] {
  if (rules.restartPolicy === "Always") return [];
  const fresh = asMaps(now);
  const errs: FieldError[] = [];
  asMaps(before).forEach((o, i) => {
    const term = asMap(asMap(o.state)?.terminated);
    if (!term || rules.sidecars?.has(asString(o.name))) return;
    if ((asNumber(term.exitCode) ?? 0) !== 0 && rules.restartPolicy === "OnFailure") return;
    if (fresh.some((n) => n.name === o.name && !asMap(asMap(n.state)?.terminated))) errs.push(forbidden(`${path}[${i}].state`, "may not be transitioned to non-terminated state"));
  });
  return errs;
}

/** Upstream's status rules for a Pod status update; spec is the pod's (unchanged) spec. */
export function validatePodStatus(raw: unknown, oldRaw: unknown, specRaw: unknown): FieldError[] {
  const status = asMap(raw) ?? {};
  const old = asMap(oldRaw) ?? {};
  const spec = asMap(specRaw) ?? {};
  const errs = validateConditions(status);
  const nominated = asString(status.nominatedNodeName);
  if (nominated && nominated !== asString(old.nominatedNodeName)) {
    errs.push(...dns1123Subdomain(nominated).map((detail) => invalid("status.nominatedNodeName", { value: nominated, detail })));
  }
  const restartPolicy = asString(spec.restartPolicy) || "Always";
  const sidecars = new Set(asMaps(spec.initContainers).filter((c) => c.restartPolicy === "Always").map((c) => asString(c.name)));
  errs.push(...validateTransitions(status.containerStatuses, old.containerStatuses, "status.containerStatuses", { restartPolicy }));
  errs.push(...validateTransitions(status.initContainerStatuses, old.initContainerStatuses, "status.initContainerStatuses", { restartPolicy, sidecars }));
  // the kubelet never restarts ephemeral containers
  errs.push(...validateTransitions(status.ephemeralContainerStatuses, old.ephemeralContainerStatuses, "status.ephemeralContainerStatuses", { restartPolicy: "Never" }));
  errs.push(...validateIPs(asMaps(status.podIPs), "status.podIPs"));
  const hostIPs = asMaps(status.hostIPs);
  if (hostIPs.length && asString(hostIPs[0].ip) !== asString(status.hostIP)) {
    errs.push(invalid("status.hostIPs[0].ip", { value: asString(hostIPs[0].ip), detail: "must be equal to `hostIP`" }));
  }
  return [...errs, ...validateIPs(hostIPs, "status.hostIPs")];
}
