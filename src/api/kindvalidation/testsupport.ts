/** Helpers of the kindvalidation tests (not used at run time). */
import type { FieldError, KindDef, StrategyContext } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { builtinKinds } from "../registry.ts";

/** Every built-in kind, for their defaults. */
export const kinds = builtinKinds();

/** A strategy context for validate hooks called directly. */
export const ctx: StrategyContext = {
  user: { username: "a", groups: [] }, subresource: "",
  cluster: { serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" },
};

/** Errors as "Type field: message" lines, the way tests state them. */
export function lines(errs: FieldError[]): string[] {
  return errs.map((e) => `${e.type} ${e.field}: ${e.message}`);
}

/** A copy of o with its spec changed (specs are free-form JSON, hence any). */
export function edit(o: KubeObject, change: (spec: Record<string, any>) => void): KubeObject {
  const c = structuredClone(o);
  change(c.spec as Record<string, unknown>);
  return c;
}

/** The built-in kind of an object, by its apiVersion and kind. */
export function kindOf(o: KubeObject): KindDef | undefined {
  const apiVersion = o.apiVersion ?? "v1";
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return kinds.find((k) => k.group === group && k.version === version && k.kind === o.kind);
}

/** An object of a built-in kind after that kind's defaults, as the REST core validates it. */
export function defaulted(o: KubeObject): KubeObject {
  kindOf(o)?.defaults?.(o);
  return o;
}
