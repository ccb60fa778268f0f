/** Bootstrap tokens (`<id>.<secret>`) backed by Secrets kube-system/bootstrap-token-<id>. */
import { timingSafeEqual } from "node:crypto";
import { AUTHENTICATED_GROUP, secretValue } from "./lookup.ts";
import type { ObjectLookup } from "./lookup.ts";
import type { TokenAuthenticator } from "./serviceaccount.ts";

const TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const GROUP_PATTERN = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
/** The Secret type of bootstrap tokens. */
export const BOOTSTRAP_TOKEN_SECRET_TYPE = "bootstrap.kubernetes.io/token";

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Authenticates bootstrap tokens as system:bootstrap:<id> in system:bootstrappers. */
export function createBootstrapTokenAuthenticator(lookup: ObjectLookup, now: () => Date = () => new Date()): TokenAuthenticator {
  return {
    async authenticateToken(token) {
      const m = TOKEN_PATTERN.exec(token);
      if (!m) return undefined;
      const [, id, secretPart] = m;
      const secret = await lookup.getObject("secrets", "kube-system", `bootstrap-token-${id}`);
      // upstream answers every failure alike so that ids cannot be probed
      const invalid = { error: "invalid bootstrap token" };
      if (!secret || secret.metadata.deletionTimestamp) return invalid;
      if (secret.type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return invalid;
      if (secretValue(secret, "token-id") !== id) return invalid;
      const stored = secretValue(secret, "token-secret");
      if (stored === undefined || !sameText(stored, secretPart)) return invalid;
      const expiration = secretValue(secret, "expiration");
      if (expiration !== undefined) {
        const at = Date.parse(expiration);
        if (Number.isNaN(at) || at <= now().getTime()) return invalid;
      }
      if (secretValue(secret, "usage-bootstrap-authentication") !== "true") return invalid;
      const groups = ["system:bootstrappers"];
      for (const g of (secretValue(secret, "auth-extra-groups") ?? "").split(",")) {
        const group = g.trim();
        if (group === "") continue;
        if (!GROUP_PATTERN.test(group)) return invalid;
        if (!groups.includes(group)) groups.push(group);
      }
      groups.push(AUTHENTICATED_GROUP);
      return { user: { username: `system:bootstrap:${id}`, groups } };
    },
  };
}
