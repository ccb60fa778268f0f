/**
 * Aggregated group/versions in discovery: the local server's /apis answers
 * (APIGroupList and apidiscovery v2/v2beta1) extended with the APIServices
 * served by other servers, whose resources come from their APIResourceList.
 */
import type { APIResourceList } from "./types.ts";

/** An aggregated group/version as discovery shows it. */
export interface RemoteGroupVersion {
  group: string;
  version: string;
  groupPriorityMinimum: number;
  versionPriority: number;
  /** the backend's resource list; absent while unavailable */
  resources?: APIResourceList;
}

function byPriority(a: RemoteGroupVersion, b: RemoteGroupVersion): number {
  return b.versionPriority - a.versionPriority || (a.version < b.version ? -1 : 1);
}

/** Groups in discovery order (higher groupPriorityMinimum first), each with its versions by priority. */
export function groupsOf(remotes: RemoteGroupVersion[]): { group: string; versions: RemoteGroupVersion[] }[] {
  const map = new Map<string, RemoteGroupVersion[]>();
  for (const r of remotes) map.set(r.group, [...(map.get(r.group) ?? []), r]);
  return [...map.entries()]
    .map(([group, versions]) => ({ group, versions: versions.sort(byPriority) }))
    .sort((a, b) => Math.max(...b.versions.map((v) => v.groupPriorityMinimum)) - Math.max(...a.versions.map((v) => v.groupPriorityMinimum)) || (a.group < b.group ? -1 : 1));
}

/** The APIGroup document of an aggregated group. */
export function apiGroupDoc(group: string, versions: RemoteGroupVersion[]): object {
  const vs = versions.map((v) => ({ groupVersion: `${group}/${v.version}`, version: v.version }));
  return { kind: "APIGroup", apiVersion: "v1", name: group, versions: vs, preferredVersion: vs[0] };
}

interface GroupListDoc {
  kind?: string;
  apiVersion?: string;
  groups: { name: string }[];
}

/** Adds aggregated groups missing from a local APIGroupList. */
export function mergeGroupList(local: GroupListDoc, remotes: RemoteGroupVersion[]): GroupListDoc {
  const have = new Set(local.groups.map((g) => g.name));
  const extra = groupsOf(remotes)
    .filter((g) => !have.has(g.group))
    .map((g) => apiGroupDoc(g.group, g.versions) as { name: string });
  return { ...local, groups: [...local.groups, ...extra] };
}

/** One backend group/version as an apidiscovery v2 version entry. */
export function discoveryVersion(r: RemoteGroupVersion): object {
  if (!r.resources) return { version: r.version, resources: [], freshness: "Stale" };
  const top = r.resources.resources.filter((x) => !x.name.includes("/"));
  const resources = top
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((x) => {
      const subs = r.resources!.resources
        .filter((s) => s.name.startsWith(`${x.name}/`))
        .map((s) => ({
          subresource: s.name.slice(x.name.length + 1),
          responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
          verbs: s.verbs,
        }));
      return {
        resource: x.name,
        responseKind: { group: x.group ?? r.group, version: x.version ?? r.version, kind: x.kind },
        scope: x.namespaced ? "Namespaced" : "Cluster",
        singularResource: x.singularName || x.kind.toLowerCase(),
        verbs: x.verbs,
        ...(x.shortNames?.length ? { shortNames: x.shortNames } : {}),
        ...(x.categories?.length ? { categories: x.categories } : {}),
        ...(subs.length ? { subresources: subs } : {}),
      };
    });
  return { version: r.version, resources, freshness: "Current" };
}

interface AggregatedDoc {
  items: { metadata: { name: string } }[];
}

/** Adds aggregated groups missing from a local APIGroupDiscoveryList. */
export function mergeAggregated(local: AggregatedDoc, remotes: RemoteGroupVersion[]): AggregatedDoc {
  const have = new Set(local.items.map((g) => g.metadata.name));
  const extra = groupsOf(remotes)
    .filter((g) => !have.has(g.group))
    .map((g) => ({ metadata: { name: g.group }, versions: g.versions.map(discoveryVersion) }));
  return { ...local, items: [...local.items, ...extra] };
}
