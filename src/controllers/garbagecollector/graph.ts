/** The garbage collector's ownership graph: objects by uid, and dependents by owner uid. */
import type { KubeObject, OwnerReference } from "../../api/types.ts";
import type { ResourceRef } from "../../client/client.ts";

/** One object the collector knows. */
export interface GraphNode {
  uid: string;
  ref: ResourceRef;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  owners: OwnerReference[];
  deleting: boolean;
  finalizers: string[];
}

/** uid-keyed nodes with a reverse index from owner uid to dependents. */
export class OwnershipGraph {
  private nodes = new Map<string, GraphNode>();
  private dependents = new Map<string, Set<string>>();

  /** Records an object; returns the previous node. */
  upsert(obj: KubeObject, ref: ResourceRef, kind: string, apiVersion: string): GraphNode | undefined {
    const uid = obj.metadata.uid ?? "";
    const old = this.nodes.get(uid);
    if (old) for (const o of old.owners) this.dependents.get(o.uid)?.delete(uid);
    const node: GraphNode = {
      uid,
      ref,
      kind,
      apiVersion,
      namespace: obj.metadata.namespace ?? "",
      name: obj.metadata.name ?? "",
      owners: obj.metadata.ownerReferences ?? [],
      deleting: !!obj.metadata.deletionTimestamp,
      finalizers: obj.metadata.finalizers ?? [],
    };
    this.nodes.set(uid, node);
    for (const o of node.owners) {
      let set = this.dependents.get(o.uid);
      if (!set) this.dependents.set(o.uid, (set = new Set()));
      set.add(uid);
    }
    return old;
  }

  remove(uid: string): GraphNode | undefined {
    const old = this.nodes.get(uid);
    if (!old) return undefined;
    for (const o of old.owners) {
      const set = this.dependents.get(o.uid);
      set?.delete(uid);
      if (set && set.size === 0) this.dependents.delete(o.uid);
    }
    this.nodes.delete(uid);
    return old;
  }

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** Nodes that name this uid as an owner. */
  dependentsOf(uid: string): GraphNode[] {
    return [...(this.dependents.get(uid) ?? [])].map((d) => this.nodes.get(d)).filter((n): n is GraphNode => !!n);
  }
}
