/** The one error type every patch and apply function throws. */
import type { StatusCause } from "../../api/types.ts";

/** HTTP codes a patch can fail with, and the Status reason each maps to. */
export type PatchErrorCode = 400 | 409 | 413 | 422;

const reasons: Record<PatchErrorCode, string> = {
  400: "BadRequest",
  409: "Conflict",
  413: "RequestEntityTooLarge",
  422: "Invalid",
};

/** Options of a PatchError beyond its code and message. */
export interface PatchErrorOptions {
  causes?: StatusCause[];
  /** what went wrong in detail when the upstream message is generic (for logs and tests) */
  detail?: string;
}

/** A failed patch or apply: `code` and `reason` are what the API answers with. */
export class PatchError extends Error {
  readonly code: PatchErrorCode;
  readonly reason: string;
  readonly causes?: StatusCause[];
  readonly detail?: string;

  constructor(code: PatchErrorCode, message: string, options: PatchErrorOptions = {}) {
    super(message);
    this.name = "PatchError";
    this.code = code;
    this.reason = reasons[code];
    if (options.causes) this.causes = options.causes;
    if (options.detail) this.detail = options.detail;
  }
}

/** Upstream answers every failed JSON patch operation with this fixed 422 text. */
export const invalidPatchMessage = "the server rejected our request due to an error in our request";

/** A 400 for a malformed patch document. */
export function badRequest(message: string): PatchError {
  return new PatchError(400, message);
}

/** A 422 with upstream's generic text and the real reason as detail. */
export function unprocessable(detail: string): PatchError {
  return new PatchError(422, invalidPatchMessage, { detail });
}
