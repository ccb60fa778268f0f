/** Projected volume sources as upstream's validateProjectionSources. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asMap, asMaps, asNumber, asString } from "../access.ts";
import { forbidden, invalid, required, validateLabelSelector } from "../validation.ts";
import { fileMode, localNonReservedPath, present } from "./common.ts";
import { validateDownwardAPIFile } from "./downward.ts";
import type { SourceContext } from "./volumesources.ts";

/** Upstream's validateKeyToPath (configMap/secret items). */
export function validateKeyToPath(item: JsonMap, path: string): FieldError[] {
  const errs = ["key", "path"].filter((k) => !asString(item[k])).map((k) => required(`${path}.${k}`));
  errs.push(...localNonReservedPath(`${path}.path`, asString(item.path)), ...fileMode(`${path}.mode`, item.mode));
  return errs;
}

const KINDS = ["secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle"];

/** The paths one source projects, with its errors; `root` is the projected source's path (upstream reports some errors there). */
function sourceErrors(kind: string, src: JsonMap, p: { at: string; root: string }): { errs: FieldError[]; paths: string[] } {
  const errs: FieldError[] = [];
  const paths: string[] = [];
  if (kind === "secret" || kind === "configMap") {
    if (!asString(src.name)) errs.push(required(`${p.at}.name`));
    asMaps(src.items).forEach((item, i) => {
      errs.push(...validateKeyToPath(item, `${p.at}.items[${i}]`));
      if (asString(item.path)) paths.push(asString(item.path));
    });
  } else if (kind === "downwardAPI") {
    for (const file of asMaps(src.items)) {
      errs.push(...validateDownwardAPIFile(file, p.at));
      if (asString(file.path)) paths.push(asString(file.path));
    }
  } else if (kind === "serviceAccountToken") {
    const exp = asNumber(src.expirationSeconds);
    if (exp !== undefined && exp < 600) errs.push(invalid(`${p.at}.expirationSeconds`, { value: exp, detail: "may not specify a duration less than 10 minutes" }));
    if (exp !== undefined && exp > 2 ** 32) errs.push(invalid(`${p.at}.expirationSeconds`, { value: exp, detail: "may not specify a duration larger than 2^32 seconds" }));
    // upstream reports the token path at the projected source, not the token
    if (!asString(src.path)) errs.push(required(`${p.root}.path`));
    else errs.push(...localNonReservedPath(`${p.root}.path`, asString(src.path)));
  } else {
    errs.push(...clusterTrustBundle(src, p.at));
    paths.push(asString(src.path));
  }
  return { errs, paths };
}

function clusterTrustBundle(src: JsonMap, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const byName = typeof src.name === "string";
  const bySigner = typeof src.signerName === "string";
  if (byName && bySigner) errs.push(invalid(at, { value: src, detail: "only one of name and signerName may be used" }));
  else if (byName && !src.name) errs.push(required(`${at}.name`, "must be a valid object name"));
  else if (byName && asMap(src.labelSelector)) errs.push(invalid(`${at}.labelSelector`, { value: src.labelSelector, detail: "labelSelector must be unset if name is specified" }));
  else if (bySigner && !src.signerName) errs.push(required(`${at}.signerName`, "must be a valid signer name"));
  else if (bySigner) errs.push(...validateLabelSelector(src.labelSelector, `${at}.labelSelector`));
  else if (!byName) errs.push(required(at, "either name or signerName must be specified"));
  if (!asString(src.path)) errs.push(required(`${at}.path`));
  return [...errs, ...localNonReservedPath(`${at}.path`, asString(src.path))];
}

/** Upstream's validateProjectedVolumeSource: default mode, one kind per source, no path projected twice. */
export function validateProjected(proj: JsonMap, ctx: SourceContext): FieldError[] {
  const errs = fileMode(`${ctx.path}.defaultMode`, proj.defaultMode);
  const seen = new Set<string>();
  asMaps(proj.sources).forEach((source, i) => {
    const at = `${ctx.path}.sources[${i}]`;
    const kinds = present(source, KINDS);
    for (const kind of kinds) {
      const { errs: e, paths } = sourceErrors(kind, asMap(source[kind]) ?? {}, { at: `${at}.${kind}`, root: ctx.path });
      errs.push(...e);
      for (const path of paths) {
        if (seen.has(path)) errs.push(invalid(ctx.path, { value: kind === "secret" || kind === "configMap" ? asString(asMap(source[kind])?.name) : path, detail: "conflicting duplicate paths" }));
        seen.add(path);
      }
    }
    if (kinds.length > 1) errs.push(forbidden(at, "may not specify more than 1 volume type per source"));
  });
  return errs;
}
