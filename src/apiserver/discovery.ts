/** Discovery documents: legacy (/api, /apis, APIResourceList) and aggregated (apidiscovery.k8s.io v2/v2beta1). */
import type { KindDef } from "../api/kind.ts";
import { kindVerbs, type KindRegistry } from "./kinds.ts";
import { parseMediaTypes } from "./negotiation.ts";

interface SubresourceDef {
  group?: string;
  version?: string;
  /** absent = the parent kind */
  kind?: string;
  verbs: string[];
}

const SUBRESOURCES: Record<string, SubresourceDef> = {
  status: { verbs: ["get", "patch", "update"] },
  scale: { group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] },
  log: { kind: "Pod", verbs: ["get"] },
  exec: { kind: "PodExecOptions", verbs: ["create", "get"] },
  attach: { kind: "PodAttachOptions", verbs: ["create", "get"] },
  portforward: { kind: "PodPortForwardOptions", verbs: ["create", "get"] },
  proxy: { verbs: ["create", "delete", "get", "patch", "update"] },
  binding: { kind: "Binding", verbs: ["create"] },
  eviction: { group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] },
  token: { group: "authentication.k8s.io", version: "v1", kind: "TokenRequest", verbs: ["create"] },
  ephemeralcontainers: { verbs: ["get", "patch", "update"] },
  resize: { verbs: ["get", "patch", "update"] },
  finalize: { verbs: ["update"] },
  approval: { verbs: ["get", "patch", "update"] },
};

const PROXY_KINDS: Record<string, string> = { pods: "PodProxyOptions", nodes: "NodeProxyOptions", services: "ServiceProxyOptions" };

interface SubresourceView {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

/** The subresources a kind serves, with their response kinds. */
export function subresourcesOf(kind: KindDef): SubresourceView[] {
  const names: string[] = [];
  if (kind.statusSubresource) names.push("status");
  if (kind.scale) names.push("scale");
  for (const s of kind.extraSubresources ?? []) if (!names.includes(s)) names.push(s);
  return names.map((name) => {
    const def = SUBRESOURCES[name] ?? { verbs: ["get"] };
    const k = name === "proxy" ? PROXY_KINDS[kind.resource] ?? kind.kind : def.kind ?? kind.kind;
    return { name, group: def.group ?? kind.group, version: def.version ?? kind.version, kind: k, verbs: def.verbs };
  });
}

/** /api as APIVersions. */
export function apiVersions(serverAddress: string): object {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function groupEntry(kinds: KindRegistry, group: string): object {
  const versions = kinds.versions(group).map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

/** /apis as APIGroupList (every group but the core one). */
export function apiGroupList(kinds: KindRegistry): object {
  return { kind: "APIGroupList", apiVersion: "v1", groups: kinds.groups().filter((g) => g !== "").map((g) => groupEntry(kinds, g)) };
}

/** /apis/<group> as APIGroup, or undefined when the group is not served. */
export function apiGroup(kinds: KindRegistry, group: string): object | undefined {
  if (!kinds.groups().includes(group) || group === "") return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(kinds, group) };
}

/** /api/v1 or /apis/<g>/<v> as APIResourceList, or undefined when not served. */
export function apiResourceList(kinds: KindRegistry, group: string, version: string): object | undefined {
  const ks = kinds.all().filter((k) => k.group === group && k.version === version);
  if (ks.length === 0) return undefined;
  const resources: object[] = [];
  for (const k of ks.sort((a, b) => (a.resource < b.resource ? -1 : 1))) {
    const r: Record<string, unknown> = { name: k.resource, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: kindVerbs(k) };
    if (k.shortNames?.length) r.shortNames = k.shortNames;
    if (k.categories?.length) r.categories = k.categories;
    resources.push(r);
    for (const s of subresourcesOf(k)) {
      const sr: Record<string, unknown> = { name: `${k.resource}/${s.name}`, singularName: "", namespaced: k.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== k.group || s.version !== k.version) Object.assign(sr, { group: s.group, version: s.version });
      resources.push(sr);
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources };
}

/** Which aggregated discovery version the Accept header asks for, if any. */
export function aggregatedVersion(accept: string | undefined): "v2" | "v2beta1" | undefined {
  for (const t of parseMediaTypes(accept)) {
    if (t.type !== "application/json") continue;
    if (t.params.g === "apidiscovery.k8s.io" && t.params.as === "APIGroupDiscoveryList" && (t.params.v === "v2" || t.params.v === "v2beta1")) return t.params.v;
    if (!t.params.as) return undefined;
  }
  return undefined;
}

/** The exact Content-Type an aggregated discovery answer carries. */
export function aggregatedContentType(v: "v2" | "v2beta1"): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;
}

function resourceEntry(k: KindDef): object {
  const r: Record<string, unknown> = {
    resource: k.resource,
    responseKind: { group: k.group, version: k.version, kind: k.kind },
    scope: k.namespaced ? "Namespaced" : "Cluster",
    singularResource: k.singular,
    verbs: kindVerbs(k),
  };
  if (k.shortNames?.length) r.shortNames = k.shortNames;
  if (k.categories?.length) r.categories = k.categories;
  const subs = subresourcesOf(k);
  if (subs.length) r.subresources = subs.map((s) => ({ subresource: s.name, responseKind: { group: s.group, version: s.version, kind: s.kind }, verbs: s.verbs }));
  return r;
}

/** Aggregated discovery: core (`/api`) or every other group (`/apis`). */
export function aggregatedDiscovery(kinds: KindRegistry, opts: { version: "v2" | "v2beta1"; core: boolean }): object {
  const groups = kinds.groups().filter((g) => (opts.core ? g === "" : g !== ""));
  const items = groups.map((g) => ({
    metadata: { name: g },
    versions: kinds.versions(g).map((v) => ({
      version: v,
      resources: kinds
        .all()
        .filter((k) => k.group === g && k.version === v)
        .sort((a, b) => (a.resource < b.resource ? -1 : 1))
        .map(resourceEntry),
      freshness: "Current",
    })),
  }));
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${opts.version}`, metadata: {}, items };
}
