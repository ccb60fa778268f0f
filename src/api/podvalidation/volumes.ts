/** Pod volumes, volume mounts and volume devices as upstream's ValidateVolumes / ValidateVolumeMounts / ValidateVolumeDevices. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asMap, asMaps, asString } from "../access.ts";
import { dns1123Label, dns1123Subdomain, duplicate, forbidden, invalid, required } from "../validation.ts";
import { localDescendingPath, oneOf, pathNoBacksteps } from "./common.ts";
import { VOLUME_SOURCES } from "./volumesources.ts";

/** The pod's valid volumes by name, with the source kind each uses ("persistentVolumeClaim", "configMap", ...). */
export type VolumeKinds = Map<string, string>;

/** Where a volume list sits and whose it is. */
export interface VolumesOptions {
  /** where the list sits: "spec.volumes" */
  path: string;
  /** a Pod, not a template */
  pod: boolean;
  /** the Pod's name, when known: generic ephemeral volumes make PVCs named after it */
  podName?: string;
}

/** Upstream's checks of the PVCs generic ephemeral volumes create ("<pod>-<volume>"). */
function validateEphemeralClaims(list: JsonMap[], opts: VolumesOptions): FieldError[] {
  if (!opts.podName) return [];
  const created = new Set(list.filter((v) => asMap(v.ephemeral)).map((v) => `${opts.podName}-${asString(v.name)}`));
  const errs: FieldError[] = [];
  list.forEach((v, i) => {
    const name = asString(v.name);
    if (asMap(v.ephemeral) && name) {
      const pvc = `${opts.podName}-${name}`;
      errs.push(...dns1123Subdomain(pvc).map((detail) => invalid(`${opts.path}[${i}].name`, { value: name, detail: `PVC name ${JSON.stringify(pvc)}: ${detail}` })));
    }
    const claim = asString(asMap(v.persistentVolumeClaim)?.claimName);
    if (claim && created.has(claim)) {
      errs.push(invalid(`${opts.path}[${i}].persistentVolumeClaim.claimName`, { value: claim, detail: "must not reference a PVC that gets created for an ephemeral volume" }));
    }
  });
  return errs;
}

function validateVolume(v: JsonMap, at: string, pod: boolean): { kind?: string; errs: FieldError[] } {
  const errs: FieldError[] = [];
  let kind: string | undefined;
  for (const [key, check] of VOLUME_SOURCES) {
    const src = asMap(v[key]);
    if (!src) continue;
    // upstream misspells this one path
    if (kind) errs.push(forbidden(`${at}.${key === "downwardAPI" ? "downwarAPI" : key}`, "may not specify more than 1 volume type"));
    else {
      kind = key;
      errs.push(...check(src, { path: `${at}.${key}`, pod }));
    }
  }
  if (!kind) errs.push(required(at, "must specify a volume type"));
  return { kind, errs };
}

/** Upstream's ValidateVolumes: names are unique DNS labels and each volume has exactly one valid source. */
export function validateVolumes(list: unknown, opts: VolumesOptions): { volumes: VolumeKinds; errs: FieldError[] } {
  const volumes: VolumeKinds = new Map();
  const errs: FieldError[] = [];
  asMaps(list).forEach((v, i) => {
    const at = `${opts.path}[${i}]`;
    const name = asString(v.name);
    const { kind, errs: el } = validateVolume(v, at, opts.pod);
    if (!name) el.push(required(`${at}.name`));
    else el.push(...dns1123Label(name).map((detail) => invalid(`${at}.name`, { value: name, detail })));
    if (volumes.has(name)) el.push(duplicate(`${at}.name`, name));
    // as upstream, a volume with any error is not mountable, so its mounts report Not found too
    if (el.length === 0 && kind) volumes.set(name, kind);
    errs.push(...el);
  });
  errs.push(...validateEphemeralClaims(asMaps(list), opts));
  return { volumes, errs };
}

function notFound(field: string, value: string): FieldError {
  return { type: "FieldValueNotFound", field, message: `Not found: ${JSON.stringify(value)}` };
}

function validateMountOptions(m: JsonMap, path: string, privileged: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const prop = m.mountPropagation;
  if (prop !== undefined && prop !== null) {
    errs.push(...oneOf(`${path}.mountPropagation`, prop, ["Bidirectional", "HostToContainer", "None"]));
    if (prop === "Bidirectional" && !privileged) errs.push(forbidden(`${path}.mountPropagation`, "Bidirectional mount propagation is available only to privileged containers"));
  }
  const rro = m.recursiveReadOnly;
  if (rro === "Enabled" || rro === "IfPossible") {
    if (m.readOnly !== true) errs.push(forbidden(`${path}.recursiveReadOnly`, "may only be specified when readOnly is true"));
    if (prop !== undefined && prop !== null && prop !== "None") errs.push(forbidden(`${path}.recursiveReadOnly`, "may only be specified when mountPropagation is None or not specified"));
  } else {
    errs.push(...oneOf(`${path}.recursiveReadOnly`, rro, ["Disabled", "Enabled", "IfPossible"]));
  }
  return errs;
}

function validateMount(m: JsonMap, at: string, ctx: { volumes: VolumeKinds; devices: Map<string, string>; path: string; mountPaths: Set<string> }): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(m.name);
  const mountPath = asString(m.mountPath);
  if (!name) errs.push(required(`${at}.name`));
  if (!ctx.volumes.has(name)) errs.push(notFound(`${at}.name`, name));
  if (!mountPath) errs.push(required(`${at}.mountPath`));
  if (ctx.mountPaths.has(mountPath)) errs.push(invalid(`${at}.mountPath`, { value: mountPath, detail: "must be unique" }));
  ctx.mountPaths.add(mountPath);
  if (ctx.devices.has(name)) errs.push(invalid(`${at}.name`, { value: name, detail: "must not already exist in volumeDevices" }));
  if ([...ctx.devices.values()].includes(mountPath)) errs.push(invalid(`${at}.mountPath`, { value: mountPath, detail: "must not already exist as a path in volumeDevices" }));
  const subPath = asString(m.subPath);
  const expr = asString(m.subPathExpr);
  if (ctx.volumes.get(name) === "image") {
    if (subPath) errs.push(invalid(`${at}.subPath`, { value: subPath, detail: "not allowed in image volume sources" }));
    if (expr) errs.push(invalid(`${at}.subPathExpr`, { value: expr, detail: "not allowed in image volume sources" }));
  }
  // upstream reports these two at the list's path, not the mount's
  if (subPath) errs.push(...localDescendingPath(`${ctx.path}.subPath`, subPath));
  if (expr) {
    if (subPath) errs.push(invalid(`${at}.subPathExpr`, { value: expr, detail: "subPathExpr and subPath are mutually exclusive" }));
    errs.push(...localDescendingPath(`${ctx.path}.subPathExpr`, expr));
  }
  return errs;
}

/** What a container's mounts are checked against. */
export interface MountContext {
  volumes: VolumeKinds;
  /** the container's securityContext.privileged */
  privileged: boolean;
  /** the container's volumeDevices, name -> devicePath */
  devices: Map<string, string>;
}

/** Upstream's ValidateVolumeMounts for one container, at path ("...containers[0].volumeMounts"). */
export function validateVolumeMounts(list: unknown, path: string, ctx: MountContext): FieldError[] {
  const errs: FieldError[] = [];
  const mountPaths = new Set<string>();
  asMaps(list).forEach((m, i) => {
    const at = `${path}[${i}]`;
    errs.push(...validateMount(m, at, { ...ctx, path, mountPaths }));
    // upstream reports propagation and recursiveReadOnly at the list's path too
    errs.push(...validateMountOptions(m, path, ctx.privileged));
  });
  return errs;
}

/** Upstream's ValidateVolumeDevices: block devices come from PVC (or ephemeral) volumes only. */
export function validateVolumeDevices(list: unknown, path: string, ctx: { volumes: VolumeKinds; mounts: Map<string, string> }): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const paths = new Set<string>();
  asMaps(list).forEach((d, i) => {
    const at = `${path}[${i}]`;
    const name = asString(d.name);
    const devicePath = asString(d.devicePath);
    const kind = ctx.volumes.get(name);
    if (!name) errs.push(required(`${at}.name`));
    if (names.has(name)) errs.push(invalid(`${at}.name`, { value: name, detail: "must be unique" }));
    if (kind && kind !== "persistentVolumeClaim" && kind !== "ephemeral") {
      errs.push(invalid(`${at}.name`, { value: name, detail: "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode" }));
    }
    if (!kind) errs.push(notFound(`${at}.name`, name));
    if (!devicePath) errs.push(required(`${at}.devicePath`));
    if (paths.has(devicePath)) errs.push(invalid(`${at}.devicePath`, { value: devicePath, detail: "must be unique" }));
    if (devicePath && pathNoBacksteps(at, devicePath).length) errs.push(invalid(`${at}.devicePath`, { value: devicePath, detail: "can not contain backsteps ('..')" }));
    else paths.add(devicePath);
    if (ctx.mounts.has(name)) errs.push(invalid(`${at}.name`, { value: name, detail: "must not already exist in volumeMounts" }));
    if ([...ctx.mounts.values()].includes(devicePath)) errs.push(invalid(`${at}.devicePath`, { value: devicePath, detail: "must not already exist as a path in volumeMounts" }));
    if (name) names.add(name);
  });
  return errs;
}
