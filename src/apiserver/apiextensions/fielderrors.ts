/** Field errors worded as upstream's apimachinery field package (kept local: custom resources need only these). */
import type { FieldError } from "../../api/kind.ts";

/** Renders a value the way Go's %#v does for the common scalar cases. */
export function showValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined || v === null) return "null";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** "Required value" at field. */
export function required(field: string, detail = ""): FieldError {
  return { type: "FieldValueRequired", field, message: detail ? `Required value: ${detail}` : "Required value" };
}

/** "Invalid value: v: detail" at field. */
export function invalid(field: string, why: { value: unknown; detail: string }): FieldError {
  return { type: "FieldValueInvalid", field, message: `Invalid value: ${showValue(why.value)}: ${why.detail}` };
}

/** "Unsupported value: v: supported values: ..." at field. */
export function notSupported(field: string, why: { value: unknown; supported: string[] }): FieldError {
  const list = why.supported.map((s) => JSON.stringify(s)).join(", ");
  return { type: "FieldValueNotSupported", field, message: `Unsupported value: ${showValue(why.value)}: supported values: ${list}` };
}

/** "Duplicate value: v" at field. */
export function duplicate(field: string, value: unknown): FieldError {
  return { type: "FieldValueDuplicate", field, message: `Duplicate value: ${showValue(value)}` };
}

/** "Forbidden: detail" at field. */
export function forbidden(field: string, detail: string): FieldError {
  return { type: "FieldValueForbidden", field, message: `Forbidden: ${detail}` };
}

/** "Too long: may not be more than N bytes" at field. */
export function tooLong(field: string, max: number): FieldError {
  return { type: "FieldValueTooLong", field, message: `Too long: may not be more than ${max} bytes` };
}
