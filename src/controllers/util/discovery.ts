/** Legacy discovery: every resource the API serves, for the namespace and garbage collectors. */
import type { Client, ResourceRef } from "../../client/client.ts";

/** One served resource with what the collectors need to know of it. */
export interface DiscoveredResource {
  ref: ResourceRef;
  kind: string;
  /** "apps/v1" or "v1" */
  apiVersion: string;
  verbs: string[];
}

interface APIResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

async function getJSON<T>(client: Client, path: string): Promise<T | undefined> {
  const res = await client.raw({ method: "GET", path, accept: "application/json" });
  if (res.status !== 200) return undefined;
  return JSON.parse(res.body.toString("utf8")) as T;
}

/** Lists the resources of every group's preferred version (subresources excluded). */
export async function discoverResources(client: Client): Promise<DiscoveredResource[]> {
  const out: DiscoveredResource[] = [];
  const add = (group: string, version: string, list: { resources?: APIResource[] } | undefined): void => {
    for (const r of list?.resources ?? []) {
      if (r.name.includes("/")) continue;
      out.push({
        ref: { group, version, resource: r.name, namespaced: r.namespaced },
        kind: r.kind,
        apiVersion: group ? `${group}/${version}` : version,
        verbs: r.verbs ?? [],
      });
    }
  };
  add("", "v1", await getJSON(client, "/api/v1"));
  const groups = await getJSON<{ groups?: { name: string; preferredVersion?: { version: string }; versions: { version: string }[] }[] }>(client, "/apis");
  await Promise.all(
    (groups?.groups ?? []).map(async (g) => {
      const version = g.preferredVersion?.version ?? g.versions[0]?.version;
      if (!version) return;
      add(g.name, version, await getJSON(client, `/apis/${g.name}/${version}`));
    }),
  );
  return out;
}
