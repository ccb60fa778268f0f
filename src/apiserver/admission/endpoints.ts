/**
 * A Service reference (namespace, name, port) resolved to one ready endpoint
 * address, as the API server reaches webhooks and aggregated API servers: the
 * service port is mapped to the endpoint port through EndpointSlices (or the
 * Endpoints object), and TLS is verified against `<name>.<namespace>.svc`.
 */
import type { KubeObject } from "../../api/types.ts";
import { ApiError, type Client, type ResourceRef } from "../../client/client.ts";

const SERVICES: ResourceRef = { group: "", version: "v1", resource: "services", namespaced: true };
const ENDPOINTS: ResourceRef = { group: "", version: "v1", resource: "endpoints", namespaced: true };
const SLICES: ResourceRef = { group: "discovery.k8s.io", version: "v1", resource: "endpointslices", namespaced: true };

export interface ServiceRef {
  namespace: string;
  name: string;
  /** the service port (default 443) */
  port?: number;
}

/** Where to connect for a service, and the name its certificate must carry. */
export interface ServiceEndpoint {
  host: string;
  port: number;
  /** `<name>.<namespace>.svc`, the TLS server name */
  serverName: string;
}

/** Resolves a Service reference; an alternative (e.g. ClusterIP routing) can be given where this is used. */
export type ServiceResolver = (ref: ServiceRef) => Promise<ServiceEndpoint>;

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

interface SlicePort {
  name?: string;
  port?: number;
}

interface Slice extends KubeObject {
  ports?: SlicePort[] | null;
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] | null;
}

interface EndpointsObject extends KubeObject {
  subsets?: { addresses?: { ip: string }[]; ports?: SlicePort[] }[];
}

function pick<T>(items: T[]): T | undefined {
  return items.length ? items[Math.floor(Math.random() * items.length)] : undefined;
}

async function getService(client: Client, ref: ServiceRef): Promise<KubeObject> {
  try {
    return await client.get(SERVICES, ref.namespace, ref.name);
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) throw new Error(`service ${JSON.stringify(ref.name)} not found in namespace ${JSON.stringify(ref.namespace)}`);
    throw err;
  }
}

function fromSlices(slices: Slice[], sp: ServicePort): { host: string; port: number } | undefined {
  const candidates: { host: string; port: number }[] = [];
  for (const s of slices) {
    const port = (s.ports ?? []).find((p) => (p.name ?? "") === (sp.name ?? ""))?.port;
    if (port === undefined) continue;
    for (const e of s.endpoints ?? []) if (e.conditions?.ready !== false) for (const a of e.addresses) candidates.push({ host: a, port });
  }
  return pick(candidates);
}

function fromEndpoints(ep: EndpointsObject, sp: ServicePort): { host: string; port: number } | undefined {
  const candidates: { host: string; port: number }[] = [];
  for (const sub of ep.subsets ?? []) {
    const port = (sub.ports ?? []).find((p) => (p.name ?? "") === (sp.name ?? ""))?.port;
    if (port === undefined) continue;
    for (const a of sub.addresses ?? []) candidates.push({ host: a.ip, port });
  }
  return pick(candidates);
}

/** Resolves a Service to one ready endpoint through the API (EndpointSlices first, then Endpoints). */
export async function resolveServiceEndpoint(client: Client, ref: ServiceRef): Promise<ServiceEndpoint> {
  const svc = await getService(client, ref);
  const spec = (svc.spec ?? {}) as { type?: string; externalName?: string; ports?: ServicePort[] };
  const want = ref.port ?? 443;
  const serverName = `${ref.name}.${ref.namespace}.svc`;
  if (spec.type === "ExternalName" && spec.externalName) return { host: spec.externalName, port: want, serverName };
  const sp = (spec.ports ?? []).find((p) => p.port === want);
  if (!sp) throw new Error(`no service port ${want} found for service ${JSON.stringify(ref.name)}`);
  const slices = await client.list<Slice>(SLICES, ref.namespace, { labelSelector: `kubernetes.io/service-name=${ref.name}` }).catch(() => ({ items: [] as Slice[] }));
  let found = fromSlices(slices.items, sp);
  if (!found) {
    const ep = await client.get<EndpointsObject>(ENDPOINTS, ref.namespace, ref.name).catch(() => undefined);
    if (ep) found = fromEndpoints(ep, sp);
  }
  if (!found) throw new Error(`service ${JSON.stringify(ref.name)} does not have ready endpoints`);
  return { ...found, serverName };
}
