/** The smaller pod spec fields: dnsConfig, gates, hostAliases, os and resourceClaims, as upstream. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asArray, asMap, asMaps, asString } from "../access.ts";
import { dns1123Label, dns1123Subdomain, duplicate, forbidden, invalid, ipAddress, notSupported, qualifiedName, required } from "../validation.ts";

/** Upstream's validatePodDNSConfig, at path ("spec.dnsConfig"). */
export function validateDNS(spec: JsonMap, path: string): FieldError[] {
  const cfg = asMap(spec.dnsConfig);
  if (spec.dnsPolicy === "None") {
    if (!cfg) return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")];
    if (asArray(cfg.nameservers).length === 0) return [required(`${path}.nameservers`, "must provide at least one DNS nameserver when `dnsPolicy` is None")];
  }
  if (!cfg) return [];
  const errs: FieldError[] = [];
  const servers = asArray(cfg.nameservers).map(asString);
  if (servers.length > 3) errs.push(invalid(`${path}.nameservers`, { value: servers, detail: "must not have more than 3 nameservers" }));
  servers.forEach((ns, i) => errs.push(...ipAddress(ns).map((detail) => invalid(`${path}.nameservers[${i}]`, { value: ns, detail }))));
  const searches = asArray(cfg.searches).map(asString);
  if (searches.length > 32) errs.push(invalid(`${path}.searches`, { value: searches, detail: "must not have more than 32 search paths" }));
  if (searches.join(" ").length > 2048) errs.push(invalid(`${path}.searches`, { value: searches, detail: "must not have more than 2048 characters (including spaces) in the search list" }));
  searches.forEach((s, i) => {
    const domain = s.replace(/\.$/, "");
    errs.push(...dns1123Subdomain(domain).map((detail) => invalid(`${path}.searches[${i}]`, { value: domain, detail })));
  });
  asMaps(cfg.options).forEach((o, i) => {
    if (!asString(o.name)) errs.push(required(`${path}.options[${i}]`, "must not be empty"));
  });
  return errs;
}

/** Upstream's validateReadinessGates and validateSchedulingGates. */
export function validateGates(spec: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asMaps(spec.readinessGates).forEach((g, i) => {
    const t = asString(g.conditionType);
    errs.push(...qualifiedName(t).map((detail) => invalid(`${path}.readinessGates[${i}].conditionType`, { value: t, detail })));
  });
  const seen = new Set<string>();
  asMaps(spec.schedulingGates).forEach((g, i) => {
    const name = asString(g.name);
    errs.push(...qualifiedName(name).map((detail) => invalid(`${path}.schedulingGates[${i}]`, { value: name, detail })));
    if (seen.has(name)) errs.push(duplicate(`${path}.schedulingGates[${i}]`, name));
    seen.add(name);
  });
  return errs;
}

/** Upstream's ValidateHostAliases: an IP and DNS subdomain host names. */
export function validateHostAliases(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asMaps(list).forEach((a, i) => {
    const ip = asString(a.ip);
    errs.push(...ipAddress(ip).map((detail) => invalid(`${path}[${i}].ip`, { value: ip, detail })));
    asArray(a.hostnames).forEach((h, j) => errs.push(...dns1123Subdomain(asString(h)).map((detail) => invalid(`${path}[${i}].hostnames[${j}]`, { value: h, detail }))));
  });
  return errs;
}

/** Every container of the spec with its path (upstream's VisitContainersWithPath). */
function containersWithPaths(spec: JsonMap, path: string): [JsonMap, string][] {
  return ["initContainers", "containers", "ephemeralContainers"].flatMap((k) => asMaps(spec[k]).map((c, i): [JsonMap, string] => [c, `${path}.${k}[${i}]`]));
}

const WINDOWS_POD_FORBIDDEN = ["appArmorProfile", "seLinuxOptions", "seccompProfile", "fsGroup", "fsGroupChangePolicy", "sysctls", "runAsUser", "runAsGroup", "supplementalGroups", "supplementalGroupsPolicy", "seLinuxChangePolicy"];
const WINDOWS_CONTAINER_FORBIDDEN = ["appArmorProfile", "seLinuxOptions", "seccompProfile", "capabilities", "readOnlyRootFilesystem", "privileged", "allowPrivilegeEscalation", "procMount", "runAsUser", "runAsGroup"];

/** Set as upstream's pointer or non-empty list would be. */
function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

function validateWindowsPod(spec: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const sc = asMap(spec.securityContext) ?? {};
  const no = (field: string): FieldError => forbidden(field, "cannot be set for a windows pod");
  for (const k of WINDOWS_POD_FORBIDDEN) if (isSet(sc[k])) errs.push(no(`${path}.securityContext.${k}`));
  for (const k of ["hostUsers", "shareProcessNamespace"]) if (isSet(spec[k])) errs.push(no(`${path}.${k}`));
  for (const k of ["hostPID", "hostIPC"]) if (spec[k] === true) errs.push(no(`${path}.${k}`));
  for (const [c, at] of containersWithPaths(spec, path)) {
    const csc = asMap(c.securityContext) ?? {};
    for (const k of WINDOWS_CONTAINER_FORBIDDEN) if (isSet(csc[k])) errs.push(no(`${at}.securityContext.${k}`));
  }
  return errs;
}

function validateLinuxPod(spec: JsonMap, path: string): FieldError[] {
  const no = (field: string): FieldError => forbidden(field, "windows options cannot be set for a linux pod");
  const errs = asMap(asMap(spec.securityContext)?.windowsOptions) ? [no(`${path}.securityContext.windowsOptions`)] : [];
  for (const [c, at] of containersWithPaths(spec, path)) if (asMap(asMap(c.securityContext)?.windowsOptions)) errs.push(no(`${at}.securityContext.windowsOptions`));
  return errs;
}

/** Upstream's validateOS and the per-OS restrictions it enables. */
export function validateOS(spec: JsonMap, path: string): FieldError[] {
  const os = asMap(spec.os);
  if (!os) return [];
  const name = asString(os.name);
  if (!name) return [required(`${path}.os.name`, "cannot be empty")];
  if (name === "linux") return validateLinuxPod(spec, path);
  if (name === "windows") return validateWindowsPod(spec, path);
  return [notSupported(`${path}.os`, { value: name, supported: ["linux", "windows"] })];
}

/** Upstream's validatePodResourceClaims: named once, DNS labels, exactly one source. */
export function validateResourceClaims(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asMaps(list).forEach((c, i) => {
    const at = `${path}[${i}]`;
    const name = asString(c.name);
    if (!name) errs.push(required(`${at}.name`));
    else if (seen.has(name)) errs.push(duplicate(`${at}.name`, name));
    else errs.push(...dns1123Label(name).map((detail) => invalid(`${at}.name`, { value: name, detail })));
    seen.add(name);
    const byName = typeof c.resourceClaimName === "string";
    const byTemplate = typeof c.resourceClaimTemplateName === "string";
    if (byName && byTemplate) errs.push(invalid(at, { value: c, detail: "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified" }));
    if (!byName && !byTemplate) errs.push(invalid(at, { value: c, detail: "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`" }));
    for (const k of ["resourceClaimName", "resourceClaimTemplateName"]) {
      if (typeof c[k] === "string") errs.push(...dns1123Subdomain(c[k] as string).map((detail) => invalid(`${at}.${k}`, { value: c[k], detail })));
    }
  });
  return errs;
}

/** Upstream's validateWindowsHostProcessPod: all containers or none are host processes, and those need hostNetwork. */
export function validateHostProcess(spec: JsonMap, path: string): FieldError[] {
  const podValue = asMap(asMap(spec.securityContext)?.windowsOptions)?.hostProcess;
  const errs: FieldError[] = [];
  let count = 0;
  let hostProcess = 0;
  for (const [c, at] of containersWithPaths(spec, path)) {
    count++;
    const own = asMap(asMap(c.securityContext)?.windowsOptions)?.hostProcess;
    if (typeof podValue === "boolean" && typeof own === "boolean" && own !== podValue) {
      errs.push(invalid(`${at}.securityContext.windowsOptions.hostProcess`, { value: own, detail: `pod hostProcess value must be identical if both are specified, was ${podValue}` }));
    }
    if (own === true || (own === undefined && podValue === true)) hostProcess++;
  }
  if (hostProcess === 0) return errs;
  if (hostProcess !== count) errs.push(invalid(path, { value: "", detail: "If pod contains any hostProcess containers then all containers must be HostProcess containers" }));
  if (spec.hostNetwork !== true) errs.push(invalid(`${path}.hostNetwork`, { value: spec.hostNetwork === true, detail: "hostNetwork must be true if pod contains any hostProcess containers" }));
  return errs;
}
