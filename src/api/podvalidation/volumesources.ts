/** Per-source rules of a pod volume (upstream's validate*VolumeSource), one small checker per source. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asArray, asMap, asMaps, asNumber, asString } from "../access.ts";
import { quantityValue } from "../quantity.ts";
import { dns1123Label, dns1123Subdomain, forbidden, invalid, notSupported, required, tooLong, validateAnnotations, validateLabels } from "../validation.ts";
import { validateClaimSpec } from "../kindvalidation/claims.ts";
import { fileMode, inRange, localDescendingPath, oneOf, pathNoBacksteps } from "./common.ts";
import { validateDownwardAPIFile } from "./downward.ts";
import { validateKeyToPath, validateProjected } from "./projected.ts";

/** What a source checker knows besides the source. */
export interface SourceContext {
  /** the path of the source: spec.volumes[0].configMap */
  path: string;
  /** a Pod (not a template): image volumes need a reference */
  pod: boolean;
}

type Checker = (src: JsonMap, ctx: SourceContext) => FieldError[];

/** Required errors for each named field that is empty. */
function need(src: JsonMap, path: string, keys: string[]): FieldError[] {
  return keys.filter((k) => src[k] === undefined || src[k] === null || src[k] === "" || (Array.isArray(src[k]) && src[k].length === 0)).map((k) => required(`${path}.${k}`));
}

function keyed(nameKey: string): Checker {
  return (src, { path }) => {
    const errs = need(src, path, [nameKey]);
    errs.push(...fileMode(`${path}.defaultMode`, src.defaultMode));
    asMaps(src.items).forEach((item, i) => errs.push(...validateKeyToPath(item, `${path}.items[${i}]`)));
    return errs;
  };
}

const HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

function hostPath(src: JsonMap, { path }: SourceContext): FieldError[] {
  const p = asString(src.path);
  if (!p) return [required(`${path}.path`)];
  const errs = pathNoBacksteps(`${path}.path`, p);
  if (src.type !== undefined && src.type !== null && !HOST_PATH_TYPES.includes(asString(src.type))) {
    errs.push(notSupported(`${path}.type`, { value: src.type, supported: HOST_PATH_TYPES }));
  }
  return errs;
}

/** Upstream checks only the size limit: any medium reaches the kubelet, which refuses unknown ones. */
function emptyDir(src: JsonMap, { path }: SourceContext): FieldError[] {
  const limit = quantityValue(src.sizeLimit);
  return limit !== undefined && limit < 0 ? [forbidden(`${path}.sizeLimit`, "SizeLimit field must be a valid resource quantity")] : [];
}

function nfs(src: JsonMap, { path }: SourceContext): FieldError[] {
  const errs = need(src, path, ["server", "path"]);
  if (!asString(src.path).startsWith("/")) errs.push(invalid(`${path}.path`, { value: asString(src.path), detail: "must be an absolute path" }));
  return errs;
}

function partitioned(idKey: string, fieldPath?: string): Checker {
  return (src, { path }) => {
    const p = fieldPath ? path.replace(/[^.]+$/, fieldPath) : path;
    const errs = need(src, p, [idKey]);
    const part = asNumber(src.partition);
    if (part !== undefined && (part < 0 || part > 255)) errs.push(invalid(`${p}.partition`, { value: part, detail: "must be between 1 and 255, inclusive" }));
    return errs;
  };
}

function iscsi(src: JsonMap, { path }: SourceContext): FieldError[] {
  const errs = need(src, path, ["targetPortal", "iqn"]);
  const iqn = asString(src.iqn);
  if (iqn && !/^(iqn|eui|naa)/.test(iqn)) errs.push(invalid(`${path}.iqn`, { value: iqn, detail: "must be valid format starting with iqn, eui, or naa" }));
  errs.push(...inRange(`${path}.lun`, src.lun, [0, 255]));
  if ((src.chapAuthDiscovery === true || src.chapAuthSession === true) && !asMap(src.secretRef)) errs.push(required(`${path}.secretRef`));
  return errs;
}

function fc(src: JsonMap, { path }: SourceContext): FieldError[] {
  const wwns = asArray(src.targetWWNs);
  const wwids = asArray(src.wwids);
  if (wwns.length === 0 && wwids.length === 0) return [required(`${path}.targetWWNs`, "must specify either targetWWNs or wwids, but not both")];
  if (wwns.length && wwids.length) return [invalid(`${path}.targetWWNs`, { value: wwns, detail: "targetWWNs and wwids can not be specified simultaneously" })];
  if (wwns.length && asNumber(src.lun) === undefined) return [required(`${path}.lun`, "lun is required if targetWWNs is specified")];
  return wwns.length ? inRange(`${path}.lun`, src.lun, [0, 255]) : [];
}

function storageos(src: JsonMap, { path }: SourceContext): FieldError[] {
  const errs = need(src, path, ["volumeName"]);
  for (const k of ["volumeName", "volumeNamespace"]) {
    const v = asString(src[k]);
    if (v) errs.push(...dns1123Label(v).map((detail) => invalid(`${path}.${k}`, { value: v, detail })));
  }
  return errs;
}

function csi(src: JsonMap, { path }: SourceContext): FieldError[] {
  const driver = asString(src.driver);
  if (!driver) return [required(`${path}.driver`)];
  const errs = driver.length > 63 ? [tooLong(`${path}.driver`, 63)] : [];
  errs.push(...dns1123Subdomain(driver.toLowerCase()).map((detail) => invalid(`${path}.driver`, { value: driver, detail })));
  const secret = asMap(src.nodePublishSecretRef);
  if (secret && !asString(secret.name)) errs.push(required(`${path}.nodePublishSecretRef.name`));
  return errs;
}

/** Upstream's validateEphemeralVolumeSource: a claim template whose metadata holds only labels and annotations. */
function ephemeral(src: JsonMap, { path }: SourceContext): FieldError[] {
  const tpl = asMap(src.volumeClaimTemplate);
  const at = `${path}.volumeClaimTemplate`;
  if (!tpl) return [required(at)];
  const meta = asMap(tpl.metadata) ?? {};
  const errs = [...validateLabels(meta.labels, `${at}.metadata.labels`), ...validateAnnotations(meta.annotations, `${at}.metadata.annotations`)];
  for (const k of Object.keys(meta)) if (k !== "labels" && k !== "annotations") errs.push(forbidden(`${at}.metadata.${k}`, "cannot be set"));
  return [...errs, ...validateClaimSpec(asMap(tpl.spec) ?? {}, `${at}.spec`)];
}

function image(src: JsonMap, ctx: SourceContext): FieldError[] {
  const errs = ctx.pod && !asString(src.reference) ? [required(`${ctx.path}.reference`)] : [];
  return [...errs, ...oneOf(`${ctx.path}.pullPolicy`, src.pullPolicy, ["Always", "IfNotPresent", "Never"])];
}

function downwardAPI(src: JsonMap, ctx: SourceContext): FieldError[] {
  const errs = fileMode(`${ctx.path}.defaultMode`, src.defaultMode);
  // upstream reports the items at the source's path, without an index
  for (const item of asMaps(src.items)) errs.push(...validateDownwardAPIFile(item, ctx.path));
  return errs;
}

function requires(...keys: string[]): Checker {
  return (src, { path }) => need(src, path, keys);
}

/** The volume sources in upstream's order (the first set one counts, later ones are "more than 1"). */
export const VOLUME_SOURCES: [string, Checker][] = [
  ["emptyDir", emptyDir], ["hostPath", hostPath], ["gitRepo", (s, c) => [...need(s, c.path, ["repository"]), ...localDescendingPath(`${c.path}.directory`, asString(s.directory))]],
  ["gcePersistentDisk", partitioned("pdName", "persistentDisk")], ["awsElasticBlockStore", partitioned("volumeID")], ["secret", keyed("secretName")],
  ["nfs", nfs], ["iscsi", iscsi], ["glusterfs", requires("endpoints", "path")], ["flocker", () => []],
  ["persistentVolumeClaim", requires("claimName")], ["rbd", requires("monitors", "image")], ["cinder", requires("volumeID")],
  ["cephfs", requires("monitors")], ["quobyte", requires("registry", "volume")], ["downwardAPI", downwardAPI], ["fc", fc],
  ["flexVolume", requires("driver")], ["configMap", keyed("name")], ["azureFile", requires("secretName", "shareName")],
  ["vsphereVolume", requires("volumePath")], ["photonPersistentDisk", requires("pdID")], ["portworxVolume", requires("volumeID")],
  ["azureDisk", requires("diskName", "diskURI")], ["storageos", storageos], ["projected", validateProjected], ["scaleIO", requires("gateway", "system", "volumeName")],
  ["csi", csi], ["ephemeral", ephemeral], ["image", image],
];
