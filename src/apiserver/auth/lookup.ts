/** How authentication reads the objects tokens are bound to (secrets, service accounts, pods). */
import type { KubeObject, UserInfo } from "../../api/types.ts";

/** Reads one object from the API store; the integrator backs it with storage or a watch cache. */
export interface ObjectLookup {
  /** resource is a plural core resource: "secrets", "serviceaccounts", "pods" */
  getObject(resource: string, namespace: string, name: string): Promise<KubeObject | undefined>;
}

/** Groups every authenticated user carries. */
export const AUTHENTICATED_GROUP = "system:authenticated";

/** The user a request without credentials runs as (when anonymous access is allowed). */
export const ANONYMOUS_USER: UserInfo = { username: "system:anonymous", groups: ["system:unauthenticated"] };

/** Adds system:authenticated once, keeping order. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(AUTHENTICATED_GROUP)) return user;
  return { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}

/** A Secret's value for key, from data (base64) or stringData, as text. */
export function secretValue(secret: KubeObject, key: string): string | undefined {
  const data = secret.data as Record<string, string> | undefined;
  if (data && typeof data[key] === "string") return Buffer.from(data[key], "base64").toString("utf8");
  const stringData = secret.stringData as Record<string, string> | undefined;
  if (stringData && typeof stringData[key] === "string") return stringData[key];
  return undefined;
}
