// Checks issuer discovery: the JWKS published for the service-account key
// verifies a token that key signed, and the configuration names the issuer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import type { JsonWebKey } from "node:crypto";
import { decodeJwt, verifyJwtSignature } from "./jwt.ts";
import { serviceAccountIssuerDiscovery } from "./oidc.ts";
import { issueServiceAccountToken } from "./serviceaccount.ts";

test("the JWKS verifies tokens signed by the service-account key", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const d = serviceAccountIssuerDiscovery([rsa.publicKey]);
  assert.equal(d.openidConfiguration.issuer, "https://kubernetes.default.svc.cluster.local");
  assert.equal(d.openidConfiguration.jwks_uri, "https://kubernetes.default.svc.cluster.local/openid/v1/jwks");
  assert.deepEqual(d.openidConfiguration.id_token_signing_alg_values_supported, ["RS256"]);
  const jwk = d.jwks.keys[0];
  assert.equal(jwk.kty, "RSA");
  assert.equal(jwk.alg, "RS256");
  const { token } = issueServiceAccountToken({ namespace: "a", serviceAccount: "b", uid: "c" }, rsa.privateKey);
  assert.equal(decodeJwt(token)?.header.kid, jwk.kid);
  const published = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
  assert.ok(verifyJwtSignature(token, [published]));
  const res = d.serve({ method: "GET", path: "/openid/v1/jwks" });
  assert.equal(res?.status, 200);
  assert.equal(res?.headers["content-type"], "application/jwk-set+json");
  assert.equal(d.serve({ method: "GET", path: "/other" }), undefined);
});
