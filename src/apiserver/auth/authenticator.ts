/**
 * The request authenticator: x509 client certificates first, then bearer
 * tokens (static k3s tokens, bootstrap tokens, service-account JWTs), then
 * basic auth against the static credentials, as kube-apiserver's union does.
 */
import type { UserInfo } from "../../api/types.ts";
import { createBootstrapTokenAuthenticator } from "./bootstrap.ts";
import type { KeyInput } from "./jwt.ts";
import type { ObjectLookup } from "./lookup.ts";
import { createServiceAccountAuthenticator } from "./serviceaccount.ts";
import type { TokenAuthenticator, TokenResult } from "./serviceaccount.ts";
import { createStaticTokenAuthenticator } from "./static.ts";
import { cacheTokenResults } from "./tokencache.ts";
import type { StaticCredential } from "./static.ts";
import type { AuthnRequest, Authenticator } from "./types.ts";
import { createX509Authenticator } from "./x509.ts";

export interface AuthenticatorOptions {
  /** PEM bundle of the client CA; when absent, client certificates count only if the TLS layer authorized them */
  clientCA?: string | Buffer;
  /** accept client certificates at all (default true) */
  x509?: boolean;
  /** keys verifying service-account tokens (service.key / its public half); none = no SA tokens */
  serviceAccountKeys?: KeyInput[];
  /** accepted bound-token issuers (default https://kubernetes.default.svc.cluster.local) */
  issuers?: string[];
  /** the server's API audiences (default https://kubernetes.default.svc.cluster.local and k3s) */
  audiences?: string[];
  /** reads secrets / serviceaccounts / pods; needed for SA and bootstrap tokens */
  lookup?: ObjectLookup;
  /** k3s node/server passwords and other fixed tokens: a token → user map or passwd entries */
  staticTokens?: Record<string, UserInfo> | StaticCredential[];
  /** accept bootstrap tokens (default true when lookup is set) */
  bootstrapTokens?: boolean;
  /** reuse a successful bootstrap/service-account token check this long (default 10000 ms, as upstream; 0 = never) */
  tokenCacheTTLMs?: number;
}

/** An Authenticator that can also check a bare token (for TokenReview). */
export interface RequestAuthenticator extends Authenticator {
  /** checks a bearer token against every token authenticator; the first that recognises it answers */
  authenticateToken(token: string, audiences?: string[]): Promise<TokenResult>;
}

const WS_TOKEN_PREFIX = "base64url.bearer.authorization.k8s.io.";

function staticList(tokens: AuthenticatorOptions["staticTokens"]): StaticCredential[] {
  if (!tokens) return [];
  if (Array.isArray(tokens)) return tokens;
  return Object.entries(tokens).map(([token, user]) => ({ token, user }));
}

/** Reads a bearer token from Authorization or, for websockets, from the subprotocol list. */
export function bearerToken(headers: AuthnRequest["headers"]): string | undefined {
  const auth = headers["authorization"];
  if (auth) {
    const m = /^bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const protocols = headers["sec-websocket-protocol"];
  if (protocols) {
    for (const p of protocols.split(",").map((s) => s.trim())) {
      if (!p.startsWith(WS_TOKEN_PREFIX)) continue;
      const decoded = Buffer.from(p.slice(WS_TOKEN_PREFIX.length), "base64url").toString("utf8");
      if (decoded !== "") return decoded;
    }
  }
  return undefined;
}

function basicCredentials(headers: AuthnRequest["headers"]): [string, string] | undefined {
  const auth = headers["authorization"];
  const m = auth ? /^basic\s+(\S+)\s*$/i.exec(auth) : null;
  if (!m) return undefined;
  const text = Buffer.from(m[1], "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon < 0 ? undefined : [text.slice(0, colon), text.slice(colon + 1)];
}

/** Builds the request authenticator from the server's keys, CA and credentials. */
export function createAuthenticator(opts: AuthenticatorOptions): RequestAuthenticator {
  const fromCert = opts.x509 === false ? () => undefined : createX509Authenticator({ clientCA: opts.clientCA });
  const statics = createStaticTokenAuthenticator(staticList(opts.staticTokens));
  const lookups: TokenAuthenticator[] = [];
  if (opts.lookup && opts.bootstrapTokens !== false) lookups.push(createBootstrapTokenAuthenticator(opts.lookup));
  if (opts.lookup && opts.serviceAccountKeys && opts.serviceAccountKeys.length > 0) {
    lookups.push(
      createServiceAccountAuthenticator({
        keys: opts.serviceAccountKeys,
        lookup: opts.lookup,
        issuers: opts.issuers,
        audiences: opts.audiences,
      }),
    );
  }
  const ttlMs = opts.tokenCacheTTLMs ?? 10_000;
  const tokenAuths: TokenAuthenticator[] = [statics, ...lookups.map((a) => cacheTokenResults(a, { ttlMs }))];
  const authenticateToken = async (token: string, audiences?: string[]): Promise<TokenResult> => {
    for (const a of tokenAuths) {
      const result = await a.authenticateToken(token, audiences);
      if (result) return result;
    }
    return { error: "invalid bearer token" };
  };
  return {
    authenticateToken,
    async authenticate(req) {
      const certUser = fromCert(req.socket);
      if (certUser) return certUser;
      const token = bearerToken(req.headers);
      if (token) return (await authenticateToken(token)).user;
      const basic = basicCredentials(req.headers);
      if (basic) return statics.authenticateBasic(basic[0], basic[1]);
      return undefined;
    },
  };
}
