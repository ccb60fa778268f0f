/** Authentication (x509, service-account JWTs, bootstrap and static tokens), RBAC and the review APIs. */
export type { AuthnRequest, Authenticator, AuthzAttributes, AuthzDecision, Authorizer } from "./types.ts";
export { bearerToken, createAuthenticator } from "./authenticator.ts";
export type { AuthenticatorOptions, RequestAuthenticator } from "./authenticator.ts";
export { ANONYMOUS_USER, AUTHENTICATED_GROUP, secretValue, withAuthenticatedGroup } from "./lookup.ts";
export type { ObjectLookup } from "./lookup.ts";
export {
  createServiceAccountAuthenticator,
  DEFAULT_AUDIENCES,
  DEFAULT_ISSUER,
  issueLegacyServiceAccountToken,
  issueServiceAccountToken,
  LEGACY_ISSUER,
  serviceAccountGroups,
  serviceAccountUsername,
} from "./serviceaccount.ts";
export type {
  BoundObjectRef,
  IssuedToken,
  LegacyTokenRequest,
  ServiceAccountAuthOptions,
  ServiceAccountTokenRequest,
  TokenAuthenticator,
  TokenResult,
} from "./serviceaccount.ts";
export { BOOTSTRAP_TOKEN_SECRET_TYPE, createBootstrapTokenAuthenticator } from "./bootstrap.ts";
export { createStaticTokenAuthenticator, formatPasswdFile, parsePasswdFile } from "./static.ts";
export type { StaticCredential } from "./static.ts";
export { createX509Authenticator, parsePemBundle } from "./x509.ts";
export type { X509Options } from "./x509.ts";
export { decodeJwt, keyId, signJwt, verifyJwtSignature } from "./jwt.ts";
export type { JwtClaims, KeyInput } from "./jwt.ts";
export { forbiddenReason, forbiddenStatus } from "./forbidden.ts";
export { impersonate, wantsImpersonation } from "./impersonation.ts";
export {
  reviewLocalSubjectAccess,
  reviewSelf,
  reviewSelfSubjectAccess,
  reviewSelfSubjectRules,
  reviewSubjectAccess,
  reviewToken,
} from "./reviews.ts";
export type { ReviewContext } from "./reviews.ts";
export { reviewPaths } from "./handlers.ts";
export type { ReviewPath, ReviewPathOptions } from "./handlers.ts";
export { decodeReviewProtobuf } from "./protobuf.ts";
export { serviceAccountIssuerDiscovery } from "./oidc.ts";
export type { IssuerDiscovery, IssuerDiscoveryOptions } from "./oidc.ts";
export { tokenRequestHandler } from "./tokenrequest.ts";
export type { TokenRequestContext, TokenRequestOptions } from "./tokenrequest.ts";
export { createNodeAuthorizer, podReferences, unionAuthorizers } from "./node.ts";
export type { NodeAuthorizerOptions, NodeGraph } from "./node.ts";
export { cacheTokenResults } from "./tokencache.ts";
export type { TokenCacheOptions } from "./tokencache.ts";
export * from "./rbac/mod.ts";
