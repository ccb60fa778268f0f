/** Read helpers over an informer's cache, as client-go's listers. */
import type { KubeObject } from "../api/types.ts";
import type { Informer } from "./informer.ts";
import { NAMESPACE_INDEX } from "./store.ts";
import type { Selector } from "./selectors.ts";

/** Reads objects from a cache by namespace, name and selector. */
export class Lister<T extends KubeObject = KubeObject> {
  constructor(private readonly informer: Informer<T>) {}

  /** The cached object, or undefined. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.informer.store.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Objects in a namespace (all namespaces when undefined), optionally filtered by a selector. */
  list(namespace?: string, selector?: Selector): T[] {
    const all = namespace === undefined ? this.informer.store.list() : this.informer.store.byIndex(NAMESPACE_INDEX, namespace);
    return selector ? all.filter((o) => selector.matches(o.metadata.labels)) : all;
  }

  byIndex(name: string, value: string): T[] {
    return this.informer.store.byIndex(name, value);
  }
}
