/** Small checks shared by the pod validation modules, worded as upstream's core validation. */
import type { FieldError } from "../kind.ts";
import { asNumber } from "../access.ts";
import { forbidden, inclusiveRange, invalid, notSupported, portName, required } from "../validation.ts";

/** Upstream's fileModeErrorMsg. */
export const FILE_MODE_MESSAGE = "must be a number between 0 and 0777 (octal), both inclusive";

/** Upstream's isNotPositiveErrorMsg. */
export const NOT_POSITIVE = "must be greater than zero";

/** "Unsupported value" when v is set (not undefined, null or "") and outside supported. */
export function oneOf(field: string, v: unknown, supported: string[]): FieldError[] {
  if (v === undefined || v === null || v === "") return [];
  return supported.includes(v as string) ? [] : [notSupported(field, { value: v, supported })];
}

/** "Required value" when v is unset or empty, else the enum check: for fields upstream requires. */
export function requiredOneOf(field: string, v: unknown, supported: string[]): FieldError[] {
  if (v === undefined || v === null || v === "") return [required(field)];
  return oneOf(field, v, supported);
}

/** An Invalid range error when v is a number outside lo..hi. */
export function inRange(field: string, v: unknown, range: [number, number]): FieldError[] {
  const n = asNumber(v);
  if (n === undefined || (n >= range[0] && n <= range[1])) return [];
  return [invalid(field, { value: n, detail: inclusiveRange(range[0], range[1]) })];
}

/** An Invalid error when a file mode is outside 0..0777. */
export function fileMode(field: string, v: unknown): FieldError[] {
  const n = asNumber(v);
  return n !== undefined && (n < 0 || n > 0o777) ? [invalid(field, { value: n, detail: FILE_MODE_MESSAGE })] : [];
}

/** Upstream's validatePathNoBacksteps: no ".." element. */
export function pathNoBacksteps(field: string, p: string): FieldError[] {
  return p.replace(/\\/g, "/").split("/").includes("..") ? [invalid(field, { value: p, detail: "must not contain '..'" })] : [];
}

/** Upstream's validateLocalDescendingPath: relative and no "..". */
export function localDescendingPath(field: string, p: string): FieldError[] {
  const errs = p.startsWith("/") ? [invalid(field, { value: p, detail: "must be a relative path" })] : [];
  return [...errs, ...pathNoBacksteps(field, p)];
}

/** Upstream's ValidateLocalNonReservedPath: a local descending path not starting with "..". */
export function localNonReservedPath(field: string, p: string): FieldError[] {
  const errs = localDescendingPath(field, p);
  if (p.startsWith("..") && !p.startsWith("../")) errs.push(invalid(field, { value: p, detail: "must not start with '..'" }));
  return errs;
}

/** Upstream's ValidatePortNumOrName: 1..65535 or an IANA service name (an absent port is Go's zero value, 0). */
export function portNumOrName(field: string, v: unknown): FieldError[] {
  if (v === undefined || v === null) return inRange(field, 0, [1, 65535]);
  if (typeof v === "number") return inRange(field, v, [1, 65535]);
  if (typeof v === "string") return portName(v).map((detail) => invalid(field, { value: v, detail }));
  return [];
}

/** The keys of m that are set (not undefined or null), in upstream's field order. */
export function present(m: Record<string, unknown>, keys: string[]): string[] {
  return keys.filter((k) => m[k] !== undefined && m[k] !== null);
}

/** Upstream's "may not specify more than 1 <what>" on every member after the first, or Required when none. */
export function exactlyOne(m: Record<string, unknown>, keys: string[], opts: { path: string; what: string }): { first?: string; errs: FieldError[] } {
  const set = present(m, keys);
  const errs = set.slice(1).map((k) => forbidden(`${opts.path}.${k}`, `may not specify more than 1 ${opts.what}`));
  if (set.length === 0) errs.push(required(opts.path, `must specify a ${opts.what}`));
  return { first: set[0], errs };
}

