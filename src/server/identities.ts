/** The identities the server's own components use over the in-process transport. */
import type { UserInfo } from "../api/types.ts";

/** The API server itself (bootstrap writes, RBAC lookups): a superuser. */
export const APISERVER_USER: UserInfo = { username: "system:apiserver", groups: ["system:masters", "system:authenticated"] };

/**
 * kube-controller-manager. Upstream gives each controller its own service
 * account (--use-service-account-credentials); the in-process controllers
 * share one identity, so it carries the union of their rights.
 */
export const CONTROLLER_MANAGER_USER: UserInfo = { username: "system:kube-controller-manager", groups: ["system:masters", "system:authenticated"] };

/** kube-scheduler, as its client certificate names it. */
export const SCHEDULER_USER: UserInfo = { username: "system:kube-scheduler", groups: ["system:authenticated"] };

/** k3s's own controllers (deploy, helm, node password, ...). */
export const K3S_CONTROLLER_USER: UserInfo = { username: "system:k3s-controller", groups: ["system:authenticated"] };

/** A node's kubelet, as its client certificate names it. */
export function nodeUser(nodeName: string): UserInfo {
  return { username: `system:node:${nodeName}`, groups: ["system:nodes", "system:authenticated"] };
}
