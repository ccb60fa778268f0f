/** Type metadata for objects read from informers, which may arrive without it. */
import type { KubeObject } from "../../api/types.ts";

/** The group/version and kind a controller's objects are given when they lack them. */
export interface GroupVersionKind {
  apiVersion: string;
  kind: string;
}

/**
 * A copy of o with apiVersion and kind filled from gvk where missing; events
 * name their involved object by kind, so a recorded object needs them.
 */
export function withKind<T extends KubeObject>(o: T, gvk: GroupVersionKind): T {
  return { ...o, apiVersion: o.apiVersion ?? gvk.apiVersion, kind: o.kind ?? gvk.kind };
}
