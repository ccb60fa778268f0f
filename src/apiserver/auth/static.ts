/**
 * Static credentials: k3s's node/server passwords (its passwd CSV,
 * `password,user,uid,group1,group2`) and fixed bearer tokens.
 */
import { timingSafeEqual } from "node:crypto";
import type { UserInfo } from "../../api/types.ts";
import { withAuthenticatedGroup } from "./lookup.ts";
import type { TokenAuthenticator } from "./serviceaccount.ts";

/** One static credential: a secret and who it authenticates as. */
export interface StaticCredential {
  token: string;
  user: UserInfo;
}

/** Parses k3s's server/cred/passwd: one `password,user,uid,"group1,group2"` (or trailing groups) per line. */
export function parsePasswdFile(text: string): StaticCredential[] {
  const out: StaticCredential[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const fields = splitCsv(line);
    if (fields.length < 3) throw new Error(`passwd line has ${fields.length} fields, want at least 3: "${line.split(",")[1] ?? ""}"`);
    const [token, username, uid, ...rest] = fields;
    const groups = rest.flatMap((g) => g.split(",")).map((g) => g.trim()).filter((g) => g !== "");
    out.push({ token, user: { username, uid, groups } });
  }
  return out;
}

/** Writes credentials in the passwd CSV form parsePasswdFile reads. */
export function formatPasswdFile(creds: StaticCredential[]): string {
  return creds
    .map((c) => {
      const groups = c.user.groups.filter((g) => g !== "system:authenticated").join(",");
      const fields = [c.token, c.user.username, c.user.uid ?? c.user.username];
      if (groups !== "") fields.push(groups.includes(",") ? `"${groups}"` : groups);
      return fields.join(",") + "\n";
    })
    .join("");
}

function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      fields.push(cur);
      cur = "";
    } else cur += ch;
  }
  fields.push(cur);
  return fields;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Matches bearer tokens against fixed credentials. */
export function createStaticTokenAuthenticator(creds: StaticCredential[]): TokenAuthenticator & {
  /** basic auth: the user name must match the credential's user */
  authenticateBasic(username: string, password: string): UserInfo | undefined;
} {
  return {
    async authenticateToken(token) {
      const hit = creds.find((c) => sameText(c.token, token));
      return hit ? { user: withAuthenticatedGroup(hit.user) } : undefined;
    },
    authenticateBasic(username, password) {
      const hit = creds.find((c) => c.user.username === username && sameText(c.token, password));
      return hit ? withAuthenticatedGroup(hit.user) : undefined;
    },
  };
}
