/** URL paths and query strings for resources, shared by both transports. */
import type { ResourceRef, ListQuery, WatchQuery } from "./client.ts";

/** Options for resourcePath beyond the resource itself. */
export interface PathOptions {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** The API path of a collection, object or subresource. */
export function resourcePath(ref: ResourceRef, opts: PathOptions = {}): string {
  const base = ref.group === "" ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  let path = base;
  if (ref.namespaced && opts.namespace) path += `/namespaces/${encodeURIComponent(opts.namespace)}`;
  path += `/${ref.resource}`;
  if (opts.name !== undefined) path += `/${encodeURIComponent(opts.name)}`;
  if (opts.subresource) path += `/${opts.subresource}`;
  return path;
}

/** The query parameters of a list or watch, as strings. */
export function listQueryParams(q: ListQuery | WatchQuery | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!q) return out;
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === "") continue;
    out[k] = String(v);
  }
  return out;
}

/** Serialises a query record (repeated keys for arrays) to a search string without '?'. */
export function encodeQuery(query: Record<string, string | string[] | undefined> | undefined): string {
  const params = new URLSearchParams();
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) params.append(k, item);
      else params.append(k, v);
    }
  }
  return params.toString();
}
