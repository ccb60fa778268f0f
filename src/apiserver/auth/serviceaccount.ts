/**
 * Service-account tokens: issuing bound tokens (TokenRequest, projected
 * volumes), legacy secret-based tokens, and authenticating both as
 * kube-apiserver does.
 */
import { randomUUID } from "node:crypto";
import type { KeyObject } from "node:crypto";
import type { KubeObject, UserInfo } from "../../api/types.ts";
import { decodeJwt, signJwt, toPublicKey, verifyJwtSignature } from "./jwt.ts";
import type { JwtClaims, KeyInput } from "./jwt.ts";
import { AUTHENTICATED_GROUP, secretValue } from "./lookup.ts";
import type { ObjectLookup } from "./lookup.ts";

/** The issuer kube-apiserver (and k3s) uses by default. */
export const DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";
/** k3s's --api-audiences default. */
export const DEFAULT_AUDIENCES = ["https://kubernetes.default.svc.cluster.local", "k3s"];
/** The issuer of legacy secret-based tokens. */
export const LEGACY_ISSUER = "kubernetes/serviceaccount";

const LEEWAY_SECONDS = 60;

/** What a bound token is tied to besides its service account. */
export interface BoundObjectRef {
  kind: "Pod" | "Secret" | "Node";
  name: string;
  uid: string;
}

export interface ServiceAccountTokenRequest {
  namespace: string;
  serviceAccount: string;
  /** the ServiceAccount's uid */
  uid: string;
  /** default: the server's audiences */
  audiences?: string[];
  /** default 3600 */
  expirationSeconds?: number;
  boundObject?: BoundObjectRef;
  /** for pod-bound tokens, the node the pod runs on */
  node?: { name: string; uid: string };
  /** default DEFAULT_ISSUER */
  issuer?: string;
  /** default: now */
  now?: Date;
}

export interface IssuedToken {
  token: string;
  /** RFC 3339, for TokenRequest status.expirationTimestamp */
  expirationTimestamp: string;
}

/** Signs a bound service-account token with the claims kube-apiserver writes. */
export function issueServiceAccountToken(req: ServiceAccountTokenRequest, key: KeyInput): IssuedToken {
  const now = Math.floor((req.now ?? new Date()).getTime() / 1000);
  const exp = now + (req.expirationSeconds ?? 3600);
  const k8s: Record<string, unknown> = {
    namespace: req.namespace,
    serviceaccount: { name: req.serviceAccount, uid: req.uid },
  };
  const bound = req.boundObject;
  if (bound) k8s[bound.kind.toLowerCase()] = { name: bound.name, uid: bound.uid };
  if (req.node && bound?.kind !== "Node") k8s.node = { name: req.node.name, uid: req.node.uid };
  const claims: JwtClaims = {
    aud: req.audiences ?? DEFAULT_AUDIENCES,
    exp,
    iat: now,
    iss: req.issuer ?? DEFAULT_ISSUER,
    jti: randomUUID(),
    "kubernetes.io": k8s,
    nbf: now,
    sub: serviceAccountUsername(req.namespace, req.serviceAccount),
  };
  return { token: signJwt(claims, key), expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") };
}

export interface LegacyTokenRequest {
  namespace: string;
  serviceAccount: string;
  uid: string;
  secretName: string;
}

/** Signs a legacy (never expiring) token for a kubernetes.io/service-account-token Secret. */
export function issueLegacyServiceAccountToken(req: LegacyTokenRequest, key: KeyInput): string {
  return signJwt(
    {
      iss: LEGACY_ISSUER,
      "kubernetes.io/serviceaccount/namespace": req.namespace,
      "kubernetes.io/serviceaccount/secret.name": req.secretName,
      "kubernetes.io/serviceaccount/service-account.name": req.serviceAccount,
      "kubernetes.io/serviceaccount/service-account.uid": req.uid,
      sub: serviceAccountUsername(req.namespace, req.serviceAccount),
    },
    key,
  );
}

/** system:serviceaccount:<ns>:<name> */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The groups of a service account's user. */
export function serviceAccountGroups(namespace: string): string[] {
  return ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, AUTHENTICATED_GROUP];
}

/** The result of checking one bearer token. */
export interface TokenResult {
  /** set when the token is valid */
  user?: UserInfo;
  /** audiences the token is valid for (intersection with those asked) */
  audiences?: string[];
  /** set when the token was recognised but rejected */
  error?: string;
}

/** Checks bearer tokens; undefined when the token is not of its kind. */
export interface TokenAuthenticator {
  authenticateToken(token: string, audiences?: string[]): Promise<TokenResult | undefined>;
}

export interface ServiceAccountAuthOptions {
  /** public keys (or private keys, or certificates) whose signatures are trusted */
  keys: KeyInput[];
  lookup: ObjectLookup;
  /** accepted issuers of bound tokens; default [DEFAULT_ISSUER] */
  issuers?: string[];
  /** the server's audiences; default DEFAULT_AUDIENCES */
  audiences?: string[];
  /** for tests: seconds since the epoch */
  now?: () => number;
}

interface BoundClaims {
  namespace?: string;
  serviceaccount?: { name?: string; uid?: string };
  pod?: { name?: string; uid?: string };
  secret?: { name?: string; uid?: string };
  node?: { name?: string; uid?: string };
}

function isDeleting(obj: KubeObject, now: number): boolean {
  const ts = obj.metadata.deletionTimestamp;
  return ts !== undefined && Date.parse(ts) / 1000 < now - LEEWAY_SECONDS;
}

function audienceList(aud: JwtClaims["aud"]): string[] {
  if (aud === undefined) return [];
  return Array.isArray(aud) ? aud : [aud];
}

/** Authenticates service-account JWTs (bound and legacy) signed by one of the keys. */
export function createServiceAccountAuthenticator(opts: ServiceAccountAuthOptions): TokenAuthenticator {
  const keys: KeyObject[] = opts.keys.map((k) => toPublicKey(k));
  const issuers = opts.issuers ?? [DEFAULT_ISSUER];
  const serverAudiences = opts.audiences ?? DEFAULT_AUDIENCES;
  const clock = opts.now ?? (() => Math.floor(Date.now() / 1000));
  return {
    async authenticateToken(token, audiences) {
      const decoded = decodeJwt(token);
      if (!decoded) return undefined;
      const iss = decoded.claims.iss;
      if (iss !== LEGACY_ISSUER && (typeof iss !== "string" || !issuers.includes(iss))) return undefined;
      const claims = verifyJwtSignature(token, keys);
      if (!claims) return { error: "invalid bearer token, square/go-jose: error in cryptographic primitive" };
      const wanted = audiences && audiences.length > 0 ? audiences : serverAudiences;
      if (iss === LEGACY_ISSUER) return checkLegacy(token, claims, opts.lookup, wanted);
      return checkBound(claims, { lookup: opts.lookup, wanted, now: clock() });
    },
  };
}

async function checkLegacy(token: string, claims: JwtClaims, lookup: ObjectLookup, wanted: string[]): Promise<TokenResult> {
  const ns = claims["kubernetes.io/serviceaccount/namespace"];
  const secretName = claims["kubernetes.io/serviceaccount/secret.name"];
  const saName = claims["kubernetes.io/serviceaccount/service-account.name"];
  const saUID = claims["kubernetes.io/serviceaccount/service-account.uid"];
  if (typeof ns !== "string" || typeof secretName !== "string" || typeof saName !== "string" || typeof saUID !== "string") {
    return { error: "invalid bearer token, token lacks service-account claims" };
  }
  const secret = await lookup.getObject("secrets", ns, secretName);
  if (!secret || secret.metadata.deletionTimestamp) return { error: `invalid bearer token, secrets "${secretName}" not found` };
  if (secretValue(secret, "token") !== token) return { error: "invalid bearer token, token does not match the secret" };
  const sa = await lookup.getObject("serviceaccounts", ns, saName);
  if (!sa || sa.metadata.deletionTimestamp) return { error: `invalid bearer token, serviceaccounts "${saName}" not found` };
  if (sa.metadata.uid !== saUID) {
    return { error: `invalid bearer token, service account uid (${saUID}) does not match current uid (${sa.metadata.uid})` };
  }
  const user: UserInfo = {
    username: serviceAccountUsername(ns, saName),
    uid: saUID,
    groups: serviceAccountGroups(ns),
    extra: { "authentication.kubernetes.io/credential-id": [`JTI=${secretName}`] },
  };
  // legacy tokens carry no audience: they are valid for all the server's audiences
  return { user, audiences: wanted };
}

interface BoundCheck {
  lookup: ObjectLookup;
  wanted: string[];
  now: number;
}

async function checkBound(claims: JwtClaims, ctx: BoundCheck): Promise<TokenResult> {
  const { lookup, now } = ctx;
  if (typeof claims.exp === "number" && now > claims.exp + LEEWAY_SECONDS) return { error: "invalid bearer token, token has expired" };
  if (typeof claims.nbf === "number" && now < claims.nbf - LEEWAY_SECONDS) return { error: "invalid bearer token, token not yet valid" };
  const matched = audienceList(claims.aud).filter((a) => ctx.wanted.includes(a));
  if (matched.length === 0) return { error: "invalid bearer token, token audiences is invalid" };
  const k8s = (claims["kubernetes.io"] ?? {}) as BoundClaims;
  const ns = k8s.namespace;
  const saName = k8s.serviceaccount?.name;
  if (typeof ns !== "string" || typeof saName !== "string") return { error: "invalid bearer token, token lacks service-account claims" };
  const sa = await lookup.getObject("serviceaccounts", ns, saName);
  if (!sa || isDeleting(sa, now)) return { error: `invalid bearer token, serviceaccounts "${saName}" not found` };
  if (k8s.serviceaccount?.uid !== sa.metadata.uid) {
    return { error: `invalid bearer token, service account uid (${k8s.serviceaccount?.uid}) does not match current uid (${sa.metadata.uid})` };
  }
  const extra: Record<string, string[]> = {};
  if (typeof claims.jti === "string") extra["authentication.kubernetes.io/credential-id"] = [`JTI=${claims.jti}`];
  for (const [kind, resource] of [["pod", "pods"], ["secret", "secrets"]] as const) {
    const ref = k8s[kind];
    if (!ref) continue;
    const obj = await lookup.getObject(resource, ns, ref.name ?? "");
    if (!obj || isDeleting(obj, now)) return { error: `invalid bearer token, ${resource} "${ref.name}" not found` };
    if (obj.metadata.uid !== ref.uid) {
      return { error: `invalid bearer token, the UID in the bound object reference (${ref.uid}) does not match the UID in record (${obj.metadata.uid})` };
    }
    if (kind === "pod") {
      extra["authentication.kubernetes.io/pod-name"] = [ref.name ?? ""];
      extra["authentication.kubernetes.io/pod-uid"] = [ref.uid ?? ""];
    }
  }
  if (k8s.node?.name) {
    extra["authentication.kubernetes.io/node-name"] = [k8s.node.name];
    if (k8s.node.uid) extra["authentication.kubernetes.io/node-uid"] = [k8s.node.uid];
  }
  const user: UserInfo = {
    username: serviceAccountUsername(ns, saName),
    uid: sa.metadata.uid,
    groups: serviceAccountGroups(ns),
    extra,
  };
  return { user, audiences: matched };
}
