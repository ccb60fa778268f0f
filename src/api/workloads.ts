/** Shared printing helpers of the workload controllers' kinds (validation lives in kindvalidation/). */
import type { KubeObject } from "./types.ts";
import { asMap, asNumber, at } from "./access.ts";
import { containersAndImages, formatLabelSelector } from "./printing.ts";

/** CONTAINERS, IMAGES and SELECTOR cells of a workload. */
export function workloadWideCells(obj: KubeObject): string[] {
  const spec = asMap(obj.spec) ?? {};
  const [c, i] = containersAndImages(asMap(spec.template)?.spec);
  return [c, i, formatLabelSelector(spec.selector)];
}

/** A counter at a dotted path such as "status.readyReplicas" (0 when unset). */
export function count(obj: KubeObject, path: string): number {
  return asNumber(at(obj, path)) ?? 0;
}
