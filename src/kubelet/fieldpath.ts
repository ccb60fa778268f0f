/** Downward API values: metadata/spec/status field paths and container resources. */
import { parseQuantity } from "../client/mod.ts";
import type { KPod, ResourceFieldSelector } from "./types.ts";

/** What a field path can see besides the pod object. */
export interface FieldContext {
  hostIP?: string;
  podIP?: string;
  podIPs?: string[];
  nodeName?: string;
}

function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join("\n");
}

/** A fieldRef and what it may see. */
export interface FieldPathQuery extends FieldContext {
  fieldPath: string;
}

/** The value of a fieldRef fieldPath; throws on paths the API does not allow. */
export function fieldPathValue(pod: KPod, query: FieldPathQuery): string {
  const { fieldPath: path, ...ctx } = query;
  const md = pod.metadata;
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === "labels" ? md.labels : md.annotations)?.[sub[2]!] ?? "";
  switch (path) {
    case "metadata.name":
      return md.name ?? "";
    case "metadata.namespace":
      return md.namespace ?? "";
    case "metadata.uid":
      return md.uid ?? "";
    case "metadata.labels":
      return formatMap(md.labels);
    case "metadata.annotations":
      return formatMap(md.annotations);
    case "spec.nodeName":
      return pod.spec.nodeName ?? ctx.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "default";
    case "status.hostIP":
      return ctx.hostIP ?? pod.status?.hostIP ?? "";
    case "status.hostIPs":
      return ctx.hostIP ?? pod.status?.hostIP ?? "";
    case "status.podIP":
      return ctx.podIP ?? pod.status?.podIP ?? "";
    case "status.podIPs":
      return (ctx.podIPs ?? (pod.status?.podIPs ?? []).map((p) => p.ip)).join(",");
    default:
      throw new Error(`unsupported fieldPath ${JSON.stringify(path)}`);
  }
}

/** A resourceFieldRef with the container it defaults to and the node's allocatable. */
export interface ResourceFieldQuery extends ResourceFieldSelector {
  defaultContainer?: string;
  allocatable?: Record<string, string>;
}

/** The value of a resourceFieldRef (limits fall back to node allocatable as upstream does). */
export function resourceFieldValue(pod: KPod, sel: ResourceFieldQuery): string {
  const allocatable = sel.allocatable ?? {};
  const name = sel.containerName || sel.defaultContainer;
  const c = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((x) => x.name === name);
  if (!c) throw new Error(`resourceFieldRef container ${JSON.stringify(name)} not found`);
  const [kind, res] = sel.resource.split(".") as [string, string];
  const fromSpec = (kind === "limits" ? c.resources?.limits : c.resources?.requests)?.[res];
  const value = parseQuantity(fromSpec ?? (kind === "limits" ? allocatable[res] : undefined) ?? "0");
  const divisor = parseQuantity(sel.divisor ?? "1") || 1;
  return String(Math.ceil(value / divisor - 1e-9));
}
