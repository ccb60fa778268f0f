/** The contracts between the HTTP front end, authentication and authorization. */
import type { TLSSocket } from "node:tls";
import type { UserInfo } from "../../api/types.ts";

/** What authentication sees of a request. */
export interface AuthnRequest {
  headers: Record<string, string | undefined>;
  /** the TLS socket, for client certificates */
  socket?: TLSSocket;
}

/** Resolves a request to a user, or undefined when it carries no credentials it recognises. */
export interface Authenticator {
  authenticate(req: AuthnRequest): Promise<UserInfo | undefined>;
}

/** kube-apiserver's authorizer.Attributes. */
export interface AuthzAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection, impersonate, ... or an HTTP verb for non-resource paths */
  verb: string;
  resourceRequest: boolean;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** for non-resource requests */
  path?: string;
}

export interface AuthzDecision {
  allowed: boolean;
  /** why, for the Forbidden message or SubjectAccessReview status */
  reason?: string;
}

export interface Authorizer {
  authorize(attrs: AuthzAttributes): Promise<AuthzDecision>;
}
