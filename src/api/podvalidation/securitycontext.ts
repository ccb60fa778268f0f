/** Pod and container securityContext validation as upstream's ValidateSecurityContext and validatePodSpecSecurityContext. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asArray, asMap, asString } from "../access.ts";
import { dns1123Subdomain, duplicate, forbidden, invalid, required, tooLong } from "../validation.ts";
import { inRange, localDescendingPath, oneOf } from "./common.ts";

/** Kubernetes 1.32's UID/GID range. */
const ID_RANGE: [number, number] = [0, 2147483647];
const SYSCTL = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
const SYSCTL_MESSAGE = `must have at most 253 characters and match regex ${SYSCTL.source}`;

/** Upstream's validateSeccompProfileField. */
export function validateSeccompProfile(raw: unknown, path: string): FieldError[] {
  const sp = asMap(raw);
  if (!sp) return [];
  const type = asString(sp.type);
  const errs: FieldError[] = [];
  if (!type) errs.push(required(`${path}.type`, "type is required when seccompProfile is set"));
  else errs.push(...oneOf(`${path}.type`, type, ["Localhost", "RuntimeDefault", "Unconfined"]));
  const local = sp.localhostProfile;
  if (type === "Localhost") {
    if (typeof local !== "string") errs.push(required(`${path}.localhostProfile`, "must be set when seccomp type is Localhost"));
    else errs.push(...localDescendingPath(`${path}.localhostProfile`, local));
  } else if (local !== undefined && local !== null) {
    errs.push(invalid(`${path}.localhostProfile`, { value: sp, detail: "can only be set when seccomp type is Localhost" }));
  }
  return errs;
}

/** Upstream's ValidateAppArmorProfileField. */
export function validateAppArmorProfile(raw: unknown, path: string): FieldError[] {
  const p = asMap(raw);
  if (!p) return [];
  const type = asString(p.type);
  const local = p.localhostProfile;
  const field = `${path}.localhostProfile`;
  if (type === "Localhost") {
    if (typeof local !== "string") return [required(field, "must be set when AppArmor type is Localhost")];
    const errs: FieldError[] = [];
    if (local !== local.trim()) errs.push(invalid(field, { value: local, detail: "must not be padded with whitespace" }));
    else if (local === "") errs.push(required(field, "must be set when AppArmor type is Localhost"));
    if (local.length > 4095) errs.push(tooLong(field, 4095));
    return errs;
  }
  if (type === "RuntimeDefault" || type === "Unconfined") {
    return local !== undefined && local !== null ? [invalid(field, { value: local, detail: "can only be set when AppArmor type is Localhost" })] : [];
  }
  if (!type) return [required(`${path}.type`, "type is required when appArmorProfile is set")];
  return oneOf(`${path}.type`, type, ["Localhost", "RuntimeDefault", "Unconfined"]);
}

/** Upstream's validateWindowsSecurityContextOptions (credential spec name and size, runAsUserName form). */
export function validateWindowsOptions(raw: unknown, path: string): FieldError[] {
  const w = asMap(raw);
  if (!w) return [];
  const errs: FieldError[] = [];
  if (typeof w.gmsaCredentialSpecName === "string") {
    for (const e of dns1123Subdomain(w.gmsaCredentialSpecName)) errs.push(invalid(`${path}.gmsaCredentialSpecName`, { value: w.gmsaCredentialSpecName, detail: e }));
  }
  if (typeof w.gmsaCredentialSpec === "string") {
    const spec = w.gmsaCredentialSpec;
    if (spec.length === 0) errs.push(invalid(`${path}.gmsaCredentialSpec`, { value: spec, detail: "gmsaCredentialSpec cannot be an empty string" }));
    else if (spec.length > 64 * 1024) errs.push(invalid(`${path}.gmsaCredentialSpec`, { value: spec, detail: "gmsaCredentialSpec size must be under 64 KiB" }));
  }
  if (typeof w.runAsUserName === "string") errs.push(...runAsUserNameErrors(w.runAsUserName).map((detail) => invalid(`${path}.runAsUserName`, { value: w.runAsUserName, detail })));
  return errs;
}

function runAsUserNameErrors(name: string): string[] {
  if (name.length === 0) return ["runAsUserName cannot be an empty string"];
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return ["runAsUserName cannot contain control characters"];
  const parts = name.split("\\");
  if (parts.length > 2) return ["runAsUserName cannot contain more than one backslash"];
  const [domain, user] = parts.length === 2 ? parts : ["", parts[0]];
  const errs: string[] = [];
  if (domain.length >= 256) errs.push("runAsUserName's Domain length must be under 256 characters");
  const netBios = /^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/;
  const dns = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
  if (parts.length === 2 && !(netBios.test(domain) || dns.test(domain))) errs.push("runAsUserName's Domain doesn't match the NetBios nor the DNS format");
  if (user.length === 0) errs.push("runAsUserName's User cannot be empty");
  else if (user.length > 104) errs.push("runAsUserName's User length must not be longer than 104 characters");
  if (/^[. ]+$/.test(user)) errs.push("runAsUserName's User cannot contain only periods or spaces");
  if (/["/\\:;|=,+*?<>@[\]]/.test(user)) errs.push(`runAsUserName's User cannot contain the following characters: "/\\:;|=,+*?<>@[]`);
  return errs;
}

/** The namespace a sysctl belongs to, for the hostNetwork/hostIPC rule (upstream's sysctl.GetNamespace). */
function sysctlNamespace(name: string): "net" | "ipc" | "" {
  const n = name.replace(/\//g, ".");
  if (n.startsWith("net.")) return "net";
  if (n.startsWith("kernel.shm") || n.startsWith("kernel.msg") || n === "kernel.sem" || n.startsWith("fs.mqueue.")) return "ipc";
  return "";
}

function validateSysctls(list: unknown, path: string, spec: JsonMap): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArray(list).forEach((raw, i) => {
    const name = asString(asMap(raw)?.name);
    const field = `${path}[${i}].name`;
    if (!name) errs.push(required(field));
    else if (name.length > 253 || !SYSCTL.test(name)) errs.push(invalid(field, { value: name, detail: SYSCTL_MESSAGE }));
    else if (seen.has(name)) errs.push(duplicate(field, name));
    const ns = sysctlNamespace(name);
    if (spec.hostNetwork === true && ns === "net") errs.push(invalid(field, { value: name, detail: "may not be specified when 'hostNetwork' is true" }));
    else if (spec.hostIPC === true && ns === "ipc") errs.push(invalid(field, { value: name, detail: "may not be specified when 'hostIPC' is true" }));
    seen.add(name);
  });
  return errs;
}

function ids(sc: JsonMap, path: string, keys: string[]): FieldError[] {
  return keys.flatMap((k) => inRange(`${path}.${k}`, sc[k], ID_RANGE));
}

/** Upstream's validatePodSpecSecurityContext, at path ("spec.securityContext"). */
export function validatePodSecurityContext(spec: JsonMap, path: string): FieldError[] {
  const sc = asMap(spec.securityContext);
  if (!sc) return [];
  const errs = ids(sc, path, ["fsGroup", "runAsUser", "runAsGroup"]);
  asArray(sc.supplementalGroups).forEach((g, i) => errs.push(...inRange(`${path}.supplementalGroups[${i}]`, g, ID_RANGE)));
  // upstream keeps hostPID inside the internal security context; in v1 it sits on the spec
  if (sc.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(invalid(`${path}.shareProcessNamespace`, { value: true, detail: "ShareProcessNamespace and HostPID cannot both be enabled" }));
  }
  errs.push(...validateSysctls(sc.sysctls, `${path}.sysctls`, spec));
  errs.push(...oneOf(`${path}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, ["Always", "OnRootMismatch"]));
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  errs.push(...validateWindowsOptions(sc.windowsOptions, `${path}.windowsOptions`));
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, `${path}.appArmorProfile`));
  errs.push(...oneOf(`${path}.supplementalGroupsPolicy`, sc.supplementalGroupsPolicy, ["Merge", "Strict"]));
  errs.push(...oneOf(`${path}.seLinuxChangePolicy`, sc.seLinuxChangePolicy, ["MountOption", "Recursive"]));
  return errs;
}

/** Upstream's ValidateSecurityContext for one container; hostUsers is false when the pod sets hostUsers: false. */
export function validateContainerSecurityContext(raw: unknown, path: string, hostUsers: boolean): FieldError[] {
  const sc = asMap(raw);
  if (!sc) return [];
  const errs = ids(sc, path, ["runAsUser", "runAsGroup"]);
  if (sc.procMount !== undefined && sc.procMount !== null) {
    errs.push(...oneOf(`${path}.procMount`, sc.procMount, ["Default", "Unmasked"]));
    if (hostUsers && sc.procMount === "Unmasked") errs.push(invalid(`${path}.procMount`, { value: sc.procMount, detail: "`hostUsers` must be false to use `Unmasked`" }));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(invalid(path, { value: sc, detail: "cannot set `allowPrivilegeEscalation` to false and `privileged` to true" }));
    for (const cap of asArray(asMap(sc.capabilities)?.add)) {
      if (cap === "CAP_SYS_ADMIN") errs.push(invalid(path, { value: sc, detail: "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN" }));
    }
  }
  errs.push(...validateWindowsOptions(sc.windowsOptions, `${path}.windowsOptions`));
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, `${path}.appArmorProfile`));
  return errs;
}

/** True unless the pod sets hostUsers: false (its own user namespace). */
export function podHostUsers(spec: JsonMap): boolean {
  return spec.hostUsers !== false;
}

/** Upstream's validateHostUsers: a user namespace excludes the host's network, PID and IPC namespaces. */
export function validateHostUsers(spec: JsonMap, path: string): FieldError[] {
  if (podHostUsers(spec)) return [];
  // upstream's field names here are its internal ones (hostNetwork, HostPID, HostIPC)
  const fields = [["hostNetwork", "hostNetwork"], ["hostPID", "HostPID"], ["hostIPC", "HostIPC"]];
  return fields.filter(([k]) => spec[k] === true).map(([, name]) => forbidden(`${path}.${name}`, "when `pod.Spec.HostUsers` is false"));
}
