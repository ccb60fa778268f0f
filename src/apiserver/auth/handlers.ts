/**
 * HTTP handlers for the review resources, for the REST core's
 * registerPath: each checks that the requester may create the review,
 * decodes the body (JSON, or protobuf through the given decoder, since
 * kubectl 1.32 sends SelfSubjectAccessReview and SelfSubjectReview as
 * protobuf), fills the status and answers 201 with JSON.
 */
import type { KubeObject, Status } from "../../api/types.ts";
import { ApiError } from "../../client/client.ts";
import type { ApiRequest, ApiResponse } from "../request.ts";
import type { RequestAuthenticator } from "./authenticator.ts";
import { forbiddenStatus } from "./forbidden.ts";
import { decodeReviewProtobuf } from "./protobuf.ts";
import {
  reviewLocalSubjectAccess,
  reviewSelf,
  reviewSelfSubjectAccess,
  reviewSelfSubjectRules,
  reviewSubjectAccess,
  reviewToken,
} from "./reviews.ts";
import type { ReviewContext } from "./reviews.ts";

export interface ReviewPathOptions {
  authorizer: ReviewContext["authorizer"];
  /** needed for TokenReview */
  authenticator?: RequestAuthenticator;
  /** decodes application/vnd.kubernetes.protobuf bodies; absent = the built-in decoder of the review kinds */
  decodeProtobuf?(gvk: { group: string; version: string; kind: string }, body: Buffer): KubeObject;
}

/** A path prefix and its handler, for ApiServer.registerPath. */
export interface ReviewPath {
  prefix: string;
  handler(req: ApiRequest): Promise<ApiResponse>;
}

type Review = (body: KubeObject, ctx: ReviewContext) => Promise<KubeObject> | KubeObject;

interface ReviewKind {
  group: string;
  resource: string;
  kind: string;
  namespaced?: boolean;
  review: Review;
}

const KINDS: ReviewKind[] = [
  { group: "authorization.k8s.io", resource: "selfsubjectaccessreviews", kind: "SelfSubjectAccessReview", review: reviewSelfSubjectAccess },
  { group: "authorization.k8s.io", resource: "selfsubjectrulesreviews", kind: "SelfSubjectRulesReview", review: reviewSelfSubjectRules },
  { group: "authorization.k8s.io", resource: "subjectaccessreviews", kind: "SubjectAccessReview", review: reviewSubjectAccess },
  { group: "authorization.k8s.io", resource: "localsubjectaccessreviews", kind: "LocalSubjectAccessReview", namespaced: true, review: reviewLocalSubjectAccess },
  { group: "authentication.k8s.io", resource: "tokenreviews", kind: "TokenReview", review: reviewToken },
  { group: "authentication.k8s.io", resource: "selfsubjectreviews", kind: "SelfSubjectReview", review: reviewSelf },
];

function failure(code: number, reason: string, message: string): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

function respond(status: number, body: unknown): ApiResponse {
  return { status, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(body)) };
}

function decode(req: ApiRequest, k: ReviewKind, opts: ReviewPathOptions): KubeObject {
  const type = (req.headers["content-type"] ?? "application/json").split(";")[0].trim().toLowerCase();
  const raw = req.body ?? Buffer.alloc(0);
  if (type === "application/vnd.kubernetes.protobuf") {
    if (opts.decodeProtobuf) return opts.decodeProtobuf({ group: k.group, version: "v1", kind: k.kind }, raw);
    try {
      return decodeReviewProtobuf(k.kind, raw);
    } catch (err) {
      throw new ApiError(failure(400, "BadRequest", `the protobuf body of the ${k.kind} cannot be decoded: ${(err as Error).message}`));
    }
  }
  if (type !== "application/json" && type !== "" && type !== "*/*") {
    throw new ApiError(failure(415, "UnsupportedMediaType", `the body of the request was in an unknown format "${type}" - accepted media types include: application/json`));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw new ApiError(failure(400, "BadRequest", `the body of the request is not JSON: ${(err as Error).message}`));
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new ApiError(failure(400, "BadRequest", "the body of the request must be a JSON object"));
  return parsed as KubeObject;
}

function handlerFor(k: ReviewKind, opts: ReviewPathOptions): ReviewPath["handler"] {
  return async (req) => {
    try {
      let namespace: string | undefined;
      if (k.namespaced) {
        const m = /^\/apis\/[^/]+\/v1\/namespaces\/([^/]+)\/([^/]+)\/?$/.exec(req.path);
        if (!m || m[2] !== k.resource) return respond(404, failure(404, "NotFound", "the server could not find the requested resource"));
        namespace = m[1];
      }
      if (req.method !== "POST") return respond(405, failure(405, "MethodNotAllowed", `the server does not allow this method on the requested resource: ${req.method}`));
      const attrs = { user: req.user, verb: "create", resourceRequest: true, apiGroup: k.group, apiVersion: "v1", resource: k.resource, namespace };
      const decision = await opts.authorizer.authorize(attrs);
      if (!decision.allowed) return respond(403, forbiddenStatus(attrs, decision.reason));
      const body = decode(req, k, opts);
      body.metadata ??= {};
      const out = await k.review(body, { user: req.user, authorizer: opts.authorizer, authenticator: opts.authenticator, namespace });
      out.apiVersion = `${k.group}/v1`;
      out.kind = k.kind;
      return respond(201, out);
    } catch (err) {
      if (err instanceof ApiError) return respond(err.code, err.status);
      throw err;
    }
  };
}

/** The six review resources as path handlers (register each with ApiServer.registerPath). */
export function reviewPaths(opts: ReviewPathOptions): ReviewPath[] {
  return KINDS.map((k) => ({
    prefix: k.namespaced ? `/apis/${k.group}/v1/namespaces/` : `/apis/${k.group}/v1/${k.resource}`,
    handler: handlerFor(k, opts),
  }));
}
