/**
 * The review APIs the REST core mounts as create-only resources:
 * authorization.k8s.io/v1 SubjectAccessReview, LocalSubjectAccessReview,
 * SelfSubjectAccessReview, SelfSubjectRulesReview; authentication.k8s.io/v1
 * TokenReview and SelfSubjectReview. Each takes the posted body and returns
 * it with status filled in.
 */
import type { KubeObject, Status, UserInfo } from "../../api/types.ts";
import { ApiError } from "../../client/client.ts";
import type { RequestAuthenticator } from "./authenticator.ts";
import type { SubjectRules } from "./rbac/authorizer.ts";
import type { AuthzAttributes, Authorizer } from "./types.ts";

/** What a review needs besides its body. */
export interface ReviewContext {
  /** the requester */
  user: UserInfo;
  authorizer: Authorizer & { rulesFor?(user: UserInfo, namespace: string): Promise<SubjectRules> };
  /** the namespace of the request path (LocalSubjectAccessReview) */
  namespace?: string;
  /** TokenReview only */
  authenticator?: RequestAuthenticator;
}

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  uid?: string;
  namespace?: string;
  token?: string;
  audiences?: string[];
}

function invalid(kind: string, field: string, message: string): ApiError {
  const status: Status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `${kind}.authorization.k8s.io "" is invalid: ${field}: Invalid value: ${message}`,
    reason: "Invalid",
    details: { group: "authorization.k8s.io", kind, causes: [{ reason: "FieldValueInvalid", message, field }] },
    code: 422,
  };
  return new ApiError(status);
}

function specOf(body: KubeObject): AccessReviewSpec {
  return (body.spec ?? {}) as AccessReviewSpec;
}

function attributesFor(spec: AccessReviewSpec, user: UserInfo, kind: string): AuthzAttributes {
  const r = spec.resourceAttributes;
  const n = spec.nonResourceAttributes;
  if ((r && n) || (!r && !n)) {
    throw invalid(kind, "spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified");
  }
  if (n) return { user, verb: n.verb ?? "", resourceRequest: false, path: n.path ?? "" };
  return {
    user,
    verb: r?.verb ?? "",
    resourceRequest: true,
    apiGroup: r?.group ?? "",
    apiVersion: r?.version ?? "",
    resource: r?.resource ?? "",
    subresource: r?.subresource ?? "",
    namespace: r?.namespace ?? "",
    name: r?.name ?? "",
  };
}

async function fill(body: KubeObject, attrs: AuthzAttributes, ctx: ReviewContext): Promise<KubeObject> {
  const decision = await ctx.authorizer.authorize(attrs);
  const status: Record<string, unknown> = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return { ...body, metadata: { ...body.metadata, creationTimestamp: undefined }, status };
}

/** SubjectAccessReview: may spec.user/groups do this? */
export async function reviewSubjectAccess(body: KubeObject, ctx: ReviewContext): Promise<KubeObject> {
  const spec = specOf(body);
  if (!spec.user && (!spec.groups || spec.groups.length === 0)) {
    throw invalid("SubjectAccessReview", "spec.user", "at least one of user or group must be specified");
  }
  const user: UserInfo = { username: spec.user ?? "", groups: spec.groups ?? [] };
  if (spec.uid) user.uid = spec.uid;
  if (spec.extra) user.extra = spec.extra;
  return fill(body, attributesFor(spec, user, "SubjectAccessReview"), ctx);
}

/** LocalSubjectAccessReview: a SubjectAccessReview confined to the path's namespace. */
export async function reviewLocalSubjectAccess(body: KubeObject, ctx: ReviewContext): Promise<KubeObject> {
  const spec = specOf(body);
  const ns = ctx.namespace ?? body.metadata.namespace ?? "";
  if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? "") !== ns) {
    const status: Status = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `spec.resourceAttributes.namespace must match namespace: ${ns}`,
      reason: "BadRequest",
      code: 400,
    };
    throw new ApiError(status);
  }
  return reviewSubjectAccess(body, ctx);
}

/** SelfSubjectAccessReview (kubectl auth can-i): may the requester do this? */
export async function reviewSelfSubjectAccess(body: KubeObject, ctx: ReviewContext): Promise<KubeObject> {
  return fill(body, attributesFor(specOf(body), ctx.user, "SelfSubjectAccessReview"), ctx);
}

/** SelfSubjectRulesReview (kubectl auth can-i --list): the requester's rules in spec.namespace. */
export async function reviewSelfSubjectRules(body: KubeObject, ctx: ReviewContext): Promise<KubeObject> {
  const namespace = specOf(body).namespace ?? "";
  if (!ctx.authorizer.rulesFor) {
    return { ...body, status: { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: "rules cannot be listed" } };
  }
  const rules = await ctx.authorizer.rulesFor(ctx.user, namespace);
  const status: Record<string, unknown> = {
    resourceRules: rules.resourceRules,
    nonResourceRules: rules.nonResourceRules,
    incomplete: rules.incomplete,
  };
  if (rules.evaluationError) status.evaluationError = rules.evaluationError;
  return { ...body, metadata: { ...body.metadata, creationTimestamp: undefined }, status };
}

/** TokenReview: is spec.token valid (for spec.audiences), and whose is it? */
export async function reviewToken(body: KubeObject, ctx: ReviewContext): Promise<KubeObject> {
  const spec = specOf(body);
  if (!ctx.authenticator) throw new Error("token review needs an authenticator");
  const result = spec.token ? await ctx.authenticator.authenticateToken(spec.token, spec.audiences) : { error: "token is empty" };
  const status: Record<string, unknown> = { authenticated: result.user !== undefined };
  if (result.user) {
    const u: Record<string, unknown> = { username: result.user.username, groups: result.user.groups };
    if (result.user.uid) u.uid = result.user.uid;
    if (result.user.extra && Object.keys(result.user.extra).length > 0) u.extra = result.user.extra;
    status.user = u;
    status.audiences = result.audiences ?? spec.audiences ?? [];
  } else {
    status.user = {};
    if (result.error) status.error = result.error;
  }
  return { ...body, metadata: { ...body.metadata, creationTimestamp: undefined }, status };
}

/** SelfSubjectReview (kubectl auth whoami): the requester's identity. */
export function reviewSelf(body: KubeObject, ctx: Pick<ReviewContext, "user">): KubeObject {
  const u: Record<string, unknown> = { username: ctx.user.username, groups: ctx.user.groups };
  if (ctx.user.uid) u.uid = ctx.user.uid;
  if (ctx.user.extra && Object.keys(ctx.user.extra).length > 0) u.extra = ctx.user.extra;
  return {
    apiVersion: body.apiVersion ?? "authentication.k8s.io/v1",
    kind: "SelfSubjectReview",
    metadata: { ...body.metadata, creationTimestamp: undefined },
    status: { userInfo: u },
  };
}
