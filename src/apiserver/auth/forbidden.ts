/** The 403 Status kube-apiserver answers when authorization says no, worded as upstream. */
import type { Status } from "../../api/types.ts";
import type { AuthzAttributes } from "./types.ts";

/** `User "bob" cannot create resource "pods" in API group "" in the namespace "default"` */
export function forbiddenReason(attrs: AuthzAttributes): string {
  const user = attrs.user.username;
  if (!attrs.resourceRequest) return `User "${user}" cannot ${attrs.verb} path "${attrs.path ?? ""}"`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : (attrs.resource ?? "");
  const where = attrs.namespace ? `in the namespace "${attrs.namespace}"` : "at the cluster scope";
  return `User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup ?? ""}" ${where}`;
}

/** The whole Forbidden Status; reason (from the authorizer) is appended after a colon when present. */
export function forbiddenStatus(attrs: AuthzAttributes, reason?: string): Status {
  const why = forbiddenReason(attrs) + (reason ? `: ${reason}` : "");
  const group = attrs.apiGroup ?? "";
  const qualified = attrs.resourceRequest && attrs.resource ? (group === "" ? attrs.resource : `${attrs.resource}.${group}`) : "";
  let message: string;
  if (qualified === "") message = `forbidden: ${why}`;
  else if (attrs.name) message = `${qualified} "${attrs.name}" is forbidden: ${why}`;
  else message = `${qualified} is forbidden: ${why}`;
  const details: Status["details"] = {};
  if (attrs.name) details.name = attrs.name;
  if (attrs.resourceRequest && group !== "") details.group = group;
  if (attrs.resourceRequest && attrs.resource) details.kind = attrs.resource;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Forbidden", details, code: 403 };
}
