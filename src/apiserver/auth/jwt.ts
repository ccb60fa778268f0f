/**
 * Compact JWS (RS256 / ES256) signing and verification with node:crypto,
 * enough for service-account tokens; no other JOSE features are needed.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";

/** Registered and Kubernetes claims a token may carry. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

/** A key as PEM text, PEM bytes or a KeyObject. */
export type KeyInput = string | Buffer | KeyObject;

/** Turns PEM or a KeyObject into a private KeyObject. */
export function toPrivateKey(key: KeyInput): KeyObject {
  if (typeof key === "string" || Buffer.isBuffer(key)) return createPrivateKey(key);
  if (key.type !== "private") throw new Error(`expected a private key, got a ${key.type} key`);
  return key;
}

/** Turns PEM (public, certificate or private) or a KeyObject into a public KeyObject. */
export function toPublicKey(key: KeyInput): KeyObject {
  if (typeof key === "string" || Buffer.isBuffer(key)) return createPublicKey(key);
  return key.type === "public" ? key : createPublicKey(key);
}

/** The JWS algorithm a key signs with: RS256 for RSA, ES256 for P-256. */
export function algorithmFor(key: KeyObject): "RS256" | "ES256" {
  if (key.asymmetricKeyType === "rsa") return "RS256";
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ES256";
  throw new Error(`unsupported service-account key type "${key.asymmetricKeyType}"`);
}

/** Key id as kube-apiserver derives it: base64url(sha256(DER SubjectPublicKeyInfo)). */
export function keyId(key: KeyInput): string {
  const der = toPublicKey(key).export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64url");
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Signs claims into a compact JWS with the key's algorithm and key id. */
export function signJwt(claims: JwtClaims, key: KeyInput): string {
  const priv = toPrivateKey(key);
  const alg = algorithmFor(priv);
  const header: JwtHeader = { alg, kid: keyId(priv) };
  const input = `${b64json(header)}.${b64json(claims)}`;
  const signature = sign("sha256", Buffer.from(input), {
    key: priv,
    // JWS wants the raw r||s form, not DER, for ECDSA
    dsaEncoding: "ieee-p1363",
  });
  return `${input}.${signature.toString("base64url")}`;
}

/** Splits a token and decodes header and claims without verifying anything. */
export function decodeJwt(token: string): { header: JwtHeader; claims: JwtClaims } | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")) as JwtHeader;
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as JwtClaims;
    if (typeof header !== "object" || header === null || typeof claims !== "object" || claims === null) return undefined;
    return { header, claims };
  } catch {
    return undefined;
  }
}

/** Checks the signature against any of the keys; returns the claims when one matches. */
export function verifyJwtSignature(token: string, keys: KeyObject[]): JwtClaims | undefined {
  const decoded = decodeJwt(token);
  if (!decoded) return undefined;
  const [h, c, s] = token.split(".");
  const input = Buffer.from(`${h}.${c}`);
  const signature = Buffer.from(s, "base64url");
  for (const key of keys) {
    let alg: string;
    try {
      alg = algorithmFor(key);
    } catch {
      continue;
    }
    if (alg !== decoded.header.alg) continue;
    if (verify("sha256", input, { key, dsaEncoding: "ieee-p1363" }, signature)) return decoded.claims;
  }
  return undefined;
}
