/**
 * Every failure the API server answers is a metav1.Status; these builders word
 * them as kube-apiserver does, since clients match on reason and message.
 */
import type { FieldError } from "../api/kind.ts";
import type { Status, StatusCause, StatusDetails } from "../api/types.ts";

/** A failure carrying the Status to answer with. */
export class ApiStatusError extends Error {
  constructor(readonly status: Status, readonly headers: Record<string, string> = {}) {
    super(status.message ?? `request failed with ${status.code}`);
  }
  get code(): number {
    return this.status.code;
  }
}

/** What a resource-scoped error names: the plural resource and its group. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** Builds a failure Status. */
export function failure(code: number, fields: { reason: string; message: string; details?: StatusDetails }): Status {
  const s: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: fields.message, reason: fields.reason, code };
  if (fields.details) s.details = fields.details;
  return s;
}

/** "deployments.apps" or "configmaps": how upstream names a group resource. */
export function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function details(gr: GroupResource, name: string | undefined): StatusDetails {
  const d: StatusDetails = {};
  if (name !== undefined) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

/** 404 for a named object. */
export function notFound(gr: GroupResource, name: string): ApiStatusError {
  return new ApiStatusError(failure(404, { reason: "NotFound", message: `${qualified(gr)} "${name}" not found`, details: details(gr, name) }));
}

/** 404 for a path nothing serves. */
export function pathNotFound(): ApiStatusError {
  return new ApiStatusError(failure(404, { reason: "NotFound", message: "the server could not find the requested resource", details: {} }));
}

/** 409 AlreadyExists. */
export function alreadyExists(gr: GroupResource, name: string): ApiStatusError {
  return new ApiStatusError(failure(409, { reason: "AlreadyExists", message: `${qualified(gr)} "${name}" already exists`, details: details(gr, name) }));
}

/** 409 Conflict; the default reason is the stale-resourceVersion one. */
export function conflict(gr: GroupResource, name: string, why?: string): ApiStatusError {
  const reason = why ?? "the object has been modified; please apply your changes to the latest version and try again";
  return new ApiStatusError(
    failure(409, { reason: "Conflict", message: `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${reason}`, details: details(gr, name) }),
  );
}

/** 422 Invalid from field errors, message composed as upstream's NewInvalid. */
export function invalid(gk: { group: string; kind: string }, name: string, errs: FieldError[]): ApiStatusError {
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  const texts = errs.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  const kindName = gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
  const body = texts.length === 1 ? texts[0] : `[${texts.join(", ")}]`;
  const d: StatusDetails = { name, kind: gk.kind, causes };
  if (gk.group) d.group = gk.group;
  return new ApiStatusError(failure(422, { reason: "Invalid", message: `${kindName} "${name}" is invalid: ${body}`, details: d }));
}

/** 400 BadRequest. */
export function badRequest(message: string): ApiStatusError {
  return new ApiStatusError(failure(400, { reason: "BadRequest", message }));
}

/** 401 Unauthorized. */
export function unauthorized(): ApiStatusError {
  return new ApiStatusError(failure(401, { reason: "Unauthorized", message: "Unauthorized" }));
}

/** 403 Forbidden for a resource (name may be empty for collections). */
export function forbidden(gr: GroupResource, name: string, why: string): ApiStatusError {
  const subject = name ? `${qualified(gr)} "${name}"` : qualified(gr);
  return new ApiStatusError(failure(403, { reason: "Forbidden", message: `${subject} is forbidden: ${why}`, details: details(gr, name || undefined) }));
}

/** 403 Forbidden for a non-resource path. */
export function forbiddenPath(why: string): ApiStatusError {
  return new ApiStatusError(failure(403, { reason: "Forbidden", message: `forbidden: ${why}`, details: {} }));
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(method: string): ApiStatusError {
  return new ApiStatusError(
    failure(405, { reason: "MethodNotAllowed", message: `the server does not allow this method on the requested resource (${method})`, details: {} }),
  );
}

/** 406 NotAcceptable. */
export function notAcceptable(accept: string): ApiStatusError {
  return new ApiStatusError(
    failure(406, { reason: "NotAcceptable", message: `the server was unable to respond with a content type that the client supports: ${JSON.stringify(accept)}` }),
  );
}

/** 415 UnsupportedMediaType. */
export function unsupportedMediaType(contentType: string): ApiStatusError {
  return new ApiStatusError(
    failure(415, {
      reason: "UnsupportedMediaType",
      message: `the body of the request was in an unknown format (${JSON.stringify(contentType)}) - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    }),
  );
}

/** 413 RequestEntityTooLarge. */
export function tooLarge(limit: number): ApiStatusError {
  return new ApiStatusError(failure(413, { reason: "RequestEntityTooLarge", message: `Request entity too large: limit is ${limit}` }));
}

/** 410 Expired (watch from a compacted revision, stale continue token). */
export function expired(message: string): ApiStatusError {
  return new ApiStatusError(failure(410, { reason: "Expired", message }));
}

/** 410 Gone. */
export function gone(message: string): ApiStatusError {
  return new ApiStatusError(failure(410, { reason: "Gone", message }));
}

/** 504 Timeout. */
export function timeout(message: string, retryAfterSeconds = 1): ApiStatusError {
  return new ApiStatusError(failure(504, { reason: "Timeout", message, details: { retryAfterSeconds } }));
}

/** 429 TooManyRequests with Retry-After. */
export function tooManyRequests(retryAfterSeconds = 1): ApiStatusError {
  return new ApiStatusError(
    failure(429, { reason: "TooManyRequests", message: "Too many requests, please try again later.", details: { retryAfterSeconds } }),
    { "retry-after": String(retryAfterSeconds) },
  );
}

/** 500 InternalError, for failures that are ours. */
export function internalError(err: unknown): ApiStatusError {
  const text = err instanceof Error ? err.message : String(err);
  return new ApiStatusError(
    failure(500, { reason: "InternalError", message: `Internal error occurred: ${text}`, details: { causes: [{ message: text }] } }),
  );
}

/** Any thrown value as an ApiStatusError. */
export function toStatusError(err: unknown): ApiStatusError {
  return err instanceof ApiStatusError ? err : internalError(err);
}
