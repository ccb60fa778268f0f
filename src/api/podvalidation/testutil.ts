/** How the pod validation tests print errors: "field: message", as kubectl shows each cause. */
import type { FieldError } from "../kind.ts";

/** The errors as "field: message" lines. */
export function lines(errs: FieldError[]): string[] {
  return errs.map((e) => `${e.field}: ${e.message}`);
}
