/** Failures strategy hooks raise; the REST core answers them as 422 Invalid. */
import type { FieldError } from "./kind.ts";

/** Thrown by prepareForCreate/prepareForUpdate when an allocation or rule fails at a field. */
export class InvalidObjectError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join(", "));
  }
}
