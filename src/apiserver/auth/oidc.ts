/**
 * Service-account issuer discovery: the OpenID configuration and JWKS
 * kube-apiserver serves at /.well-known/openid-configuration and
 * /openid/v1/jwks, so that external verifiers can check SA tokens.
 */
import type { ApiRequest, ApiResponse } from "../request.ts";
import { algorithmFor, keyId, toPublicKey } from "./jwt.ts";
import type { KeyInput } from "./jwt.ts";
import { DEFAULT_ISSUER } from "./serviceaccount.ts";

export interface IssuerDiscoveryOptions {
  /** default https://kubernetes.default.svc.cluster.local */
  issuer?: string;
  /** default <issuer>/openid/v1/jwks, as upstream when --service-account-jwks-uri is unset */
  jwksURI?: string;
}

export interface IssuerDiscovery {
  openidConfiguration: Record<string, unknown>;
  jwks: { keys: Record<string, unknown>[] };
  /** answers GET on the two paths; undefined for any other path */
  serve(req: Pick<ApiRequest, "method" | "path">): ApiResponse | undefined;
}

/** Builds the discovery documents for the keys that verify service-account tokens. */
export function serviceAccountIssuerDiscovery(keys: KeyInput[], opts: IssuerDiscoveryOptions = {}): IssuerDiscovery {
  const issuer = opts.issuer ?? DEFAULT_ISSUER;
  const publics = keys.map((k) => toPublicKey(k));
  const jwks = {
    keys: publics.map((k) => ({ use: "sig", ...k.export({ format: "jwk" }), kid: keyId(k), alg: algorithmFor(k) })),
  };
  const algs = [...new Set(publics.map((k) => algorithmFor(k)))];
  const openidConfiguration = {
    issuer,
    jwks_uri: opts.jwksURI ?? `${issuer}/openid/v1/jwks`,
    response_types_supported: ["id_token"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: algs,
  };
  const bodies: Record<string, [string, Buffer]> = {
    "/.well-known/openid-configuration": ["application/json", Buffer.from(JSON.stringify(openidConfiguration))],
    "/openid/v1/jwks": ["application/jwk-set+json", Buffer.from(JSON.stringify(jwks))],
  };
  return {
    openidConfiguration,
    jwks,
    serve(req): ApiResponse | undefined {
      const hit = bodies[req.path];
      if (!hit) return undefined;
      if (req.method !== "GET" && req.method !== "HEAD") {
        const headers: Record<string, string> = { "content-type": "text/plain" };
        return { status: 405, headers, body: Buffer.from("method not allowed\n") };
      }
      return { status: 200, headers: { "content-type": hit[0], "cache-control": "public, max-age=3600" }, body: hit[1] };
    },
  };
}
