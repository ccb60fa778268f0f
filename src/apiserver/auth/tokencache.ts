/**
 * A short-lived cache of successful token checks, as kube-apiserver keeps
 * one (10 s by default) so that every request carrying a service-account
 * token does not read its ServiceAccount and Pod again. Failures are not
 * cached. Keys are token hashes, never tokens.
 */
import { createHash } from "node:crypto";
import type { TokenAuthenticator, TokenResult } from "./serviceaccount.ts";

export interface TokenCacheOptions {
  /** how long a success is reused (ms) */
  ttlMs: number;
  /** most entries kept; the oldest go first (default 4096) */
  maxEntries?: number;
  /** for tests */
  now?: () => number;
}

/** Wraps a token authenticator with a success cache; ttlMs 0 returns it unchanged. */
export function cacheTokenResults(inner: TokenAuthenticator, opts: TokenCacheOptions): TokenAuthenticator {
  if (opts.ttlMs <= 0) return inner;
  const max = opts.maxEntries ?? 4096;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, { at: number; result: TokenResult }>();
  return {
    async authenticateToken(token, audiences) {
      const key = createHash("sha256").update(token).update("\0").update((audiences ?? []).join(",")).digest("base64");
      const hit = entries.get(key);
      if (hit && now() - hit.at < opts.ttlMs) return hit.result;
      if (hit) entries.delete(key);
      const result = await inner.authenticateToken(token, audiences);
      if (result?.user) {
        if (entries.size >= max) entries.delete(entries.keys().next().value as string);
        entries.set(key, { at: now(), result });
      }
      return result;
    },
  };
}
