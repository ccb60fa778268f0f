/**
 * What DefaultStorageClass and DefaultIngressClass share: among the classes
 * annotated as default, the newest wins (ties by name, ascending), as
 * upstream 1.32 picks when several are marked.
 */
import type { KubeObject } from "../../../api/types.ts";

/** The newest object for which `isDefault` holds, or undefined when none does. */
export function newestDefault<T extends KubeObject>(items: T[], isDefault: (o: T) => boolean): T | undefined {
  const stamp = (o: T): number => Date.parse(o.metadata.creationTimestamp ?? "") || 0;
  const marked = items.filter(isDefault);
  marked.sort((a, b) => stamp(b) - stamp(a) || (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
  return marked[0];
}

/** Whether any of the annotation keys is "true" on the object. */
export function annotatedTrue(o: KubeObject, keys: string[]): boolean {
  return keys.some((k) => o.metadata.annotations?.[k] === "true");
}
