/** Private keys: generation and PEM forms as k3s writes them. */
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import type { KeyObject } from "node:crypto";

/** Key algorithms we create. */
export type KeyKind = "ecdsa" | "rsa";

/** Creates a new private key: ECDSA P-256 or RSA-2048. */
export function generateKey(kind: KeyKind = "ecdsa"): KeyObject {
  if (kind === "rsa") return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
}

/** PEM of a private key in the traditional forms ("EC PRIVATE KEY", "RSA PRIVATE KEY") Go writes. */
export function privateKeyPEM(key: KeyObject): string {
  if (key.asymmetricKeyType === "ec") return key.export({ type: "sec1", format: "pem" }).toString();
  if (key.asymmetricKeyType === "rsa") return key.export({ type: "pkcs1", format: "pem" }).toString();
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

/** Parses a private key PEM of any common form. */
export function parsePrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}
