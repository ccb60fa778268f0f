/** Turns a request path into kube-apiserver's RequestInfo (resource, verb, scope). */
import type { ApiRequest } from "./request.ts";

/** What a resource request addresses, as upstream's RequestInfo. */
export interface ResourceRequestInfo {
  kind: "resource";
  /** get, list, watch, create, update, patch, delete, deletecollection */
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

/** A path outside /api/v1/... and /apis/<g>/<v>/... (discovery, health, version, ...). */
export interface NonResourceRequestInfo {
  kind: "nonresource";
  verb: string;
  path: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

/** Whether the query asks for a watch (watch=true or watch=1). */
export function isWatchQuery(query: URLSearchParams): boolean {
  const w = query.get("watch");
  return w === "true" || w === "1";
}

/** Parses the request's path and method into a RequestInfo. */
export function parseRequestInfo(req: Pick<ApiRequest, "method" | "path" | "query">): RequestInfo {
  const parts = req.path.split("/").filter((p) => p !== "").map(decodeURIComponent);
  const nonResource: NonResourceRequestInfo = { kind: "nonresource", verb: req.method.toLowerCase(), path: req.path };
  let rest: string[];
  let group = "";
  let version: string;
  if (parts[0] === "api" && parts.length >= 2) {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 3) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return nonResource;
  }
  if (rest.length === 0) return nonResource;
  let watchPrefix = false;
  if (rest[0] === "watch") {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace = "";
  if (rest[0] === "namespaces" && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) rest = rest.slice(2);
  }
  const info: ResourceRequestInfo = {
    kind: "resource",
    verb: "",
    group,
    version,
    resource: rest[0] ?? "",
    name: rest[1] ?? "",
    subresource: rest.slice(2).join("/"),
    namespace,
  };
  // namespaces/<ns> names the namespace itself, not a namespaced collection
  if (info.resource === "namespaces" && info.name) info.namespace = info.name;
  if (info.resource === "namespaces" && !info.name) info.namespace = "";
  info.verb = verbFor(req.method, info.name !== "", watchPrefix || isWatchQuery(req.query));
  return info;
}

function verbFor(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case "GET":
    case "HEAD":
      if (watch) return "watch";
      return hasName ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return hasName ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}
