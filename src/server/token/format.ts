/**
 * k3s token strings: `K10<sha256 of the server CA>::<user>:<password>`,
 * `K10<hash>::<id>.<secret>` (bootstrap token), or the short forms without
 * the `K10<hash>::` prefix.
 */
import { createHash, randomBytes } from "node:crypto";

/** A parsed token. */
export interface ParsedToken {
  /** hex sha256 of the server CA bundle, when the token is in full form */
  caHash?: string;
  /** "server", "node", or absent for a bare password / bootstrap token */
  username?: string;
  /** the secret a client presents (for bootstrap tokens: "<id>.<secret>") */
  password: string;
  /** set for bootstrap tokens `<id>.<secret>` */
  bootstrap?: { id: string; secret: string };
}

const PREFIX = "K10";
const BOOTSTRAP = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

/** Hex SHA-256 of the CA bundle bytes exactly as served by /cacerts. */
export function caHash(caPEM: string | Buffer): string {
  return createHash("sha256").update(caPEM).digest("hex");
}

/** Parses a full or short token; throws naming the malformed part. */
export function parseToken(s: string): ParsedToken {
  const text = s.trim();
  if (text === "") throw new Error("token is empty");
  let rest = text;
  let hash: string | undefined;
  if (text.startsWith(PREFIX) && text.includes("::")) {
    const [head, ...tail] = text.split("::");
    hash = head.slice(PREFIX.length);
    rest = tail.join("::");
    if (!/^[0-9a-f]{64}$/i.test(hash)) throw new Error(`token ca hash ${JSON.stringify(hash)} is not a sha256 hex digest`);
    hash = hash.toLowerCase();
    if (rest === "") throw new Error("token has a ca hash but no credentials after ::");
  }
  const boot = BOOTSTRAP.exec(rest);
  if (boot) return { caHash: hash, password: rest, bootstrap: { id: boot[1], secret: boot[2] } };
  const colon = rest.indexOf(":");
  if (hash !== undefined && colon > 0) {
    return { caHash: hash, username: rest.slice(0, colon), password: rest.slice(colon + 1) };
  }
  return { caHash: hash, password: rest };
}

/** Options of `formatToken`. */
export interface FormatOptions {
  /** default "server" */
  username?: string;
}

/** The full-form token string for a CA and a password (or a bootstrap `<id>.<secret>`). */
export function formatToken(ca: string, password: string, options: FormatOptions = {}): string {
  if (BOOTSTRAP.test(password)) return `${PREFIX}${ca}::${password}`;
  return `${PREFIX}${ca}::${options.username ?? "server"}:${password}`;
}

/** A random password like k3s's: 32 hex characters. */
export function randomPassword(): string {
  return randomBytes(16).toString("hex");
}

/** A random bootstrap token `<6 chars>.<16 chars>` as kubeadm and `k3s token generate` make. */
export function generateBootstrapToken(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const pick = (n: number): string => {
    const out: string[] = [];
    while (out.length < n) {
      for (const b of randomBytes(n * 2)) {
        if (b < 252 && out.length < n) out.push(alphabet[b % 36]);
      }
    }
    return out.join("");
  };
  return `${pick(6)}.${pick(16)}`;
}

/** Throws when the CA bundle a server served does not hash to the token's CA hash; a token without a hash checks nothing. */
export function verifyCAHash(token: ParsedToken | string, caPEM: string | Buffer): void {
  const parsed = typeof token === "string" ? parseToken(token) : token;
  if (parsed.caHash === undefined) return;
  const actual = caHash(caPEM);
  if (actual !== parsed.caHash) throw new Error(`the server's ca hash ${actual} does not match the token's ca hash ${parsed.caHash}`);
}
