/**
 * Impersonation headers (Impersonate-User, -Group, -Uid, -Extra-*): each
 * asked identity part is authorized with verb "impersonate", as upstream.
 */
import type { Status, UserInfo } from "../../api/types.ts";
import { ApiError } from "../../client/client.ts";
import { forbiddenStatus } from "./forbidden.ts";
import type { AuthzAttributes, Authorizer } from "./types.ts";

const SA_PREFIX = "system:serviceaccount:";

function splitHeader(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function badRequest(message: string): ApiError {
  const status: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "BadRequest", code: 400 };
  return new ApiError(status);
}

/** Whether the request asks to impersonate anyone. */
export function wantsImpersonation(headers: Record<string, string | undefined>): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase().startsWith("impersonate-"));
}

/**
 * Returns the impersonated user when the headers ask for one and the
 * requester may impersonate it, the requester itself when they do not ask;
 * throws ApiError (403 Forbidden, 400 BadRequest) otherwise.
 */
export async function impersonate(
  req: { headers: Record<string, string | undefined>; user: UserInfo },
  authorizer: Authorizer,
): Promise<UserInfo> {
  const h: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) h[k.toLowerCase()] = v;
  if (!wantsImpersonation(h)) return req.user;
  const username = h["impersonate-user"];
  const groups = splitHeader(h["impersonate-group"]);
  const uid = h["impersonate-uid"];
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(h)) {
    if (!k.startsWith("impersonate-extra-") || v === undefined) continue;
    extra[decodeURIComponent(k.slice("impersonate-extra-".length))] = splitHeader(v);
  }
  if (!username) throw badRequest("requested impersonation of groups, uid or extra without impersonating a user");
  const checks: AuthzAttributes[] = [];
  const base = { user: req.user, verb: "impersonate", resourceRequest: true };
  if (username.startsWith(SA_PREFIX)) {
    const [ns, name] = username.slice(SA_PREFIX.length).split(":");
    checks.push({ ...base, apiGroup: "", resource: "serviceaccounts", namespace: ns, name });
  } else {
    checks.push({ ...base, apiGroup: "", resource: "users", name: username });
  }
  for (const g of groups) checks.push({ ...base, apiGroup: "", resource: "groups", name: g });
  if (uid !== undefined) checks.push({ ...base, apiGroup: "authentication.k8s.io", resource: "uids", name: uid });
  for (const [key, values] of Object.entries(extra)) {
    for (const value of values) {
      checks.push({ ...base, apiGroup: "authentication.k8s.io", resource: "userextras", subresource: key, name: value });
    }
  }
  for (const attrs of checks) {
    const decision = await authorizer.authorize(attrs);
    if (!decision.allowed) throw new ApiError(forbiddenStatus(attrs, decision.reason));
  }
  const out: string[] = [...groups];
  if (username.startsWith(SA_PREFIX) && groups.length === 0) {
    const ns = username.slice(SA_PREFIX.length).split(":")[0];
    out.push("system:serviceaccounts", `system:serviceaccounts:${ns}`);
  }
  const implicit = username === "system:anonymous" ? "system:unauthenticated" : "system:authenticated";
  if (!out.includes(implicit)) out.push(implicit);
  const user: UserInfo = { username, groups: out };
  if (uid !== undefined) user.uid = uid;
  if (Object.keys(extra).length > 0) user.extra = extra;
  return user;
}
