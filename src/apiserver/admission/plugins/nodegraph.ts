/**
 * The Node authorizer's graph (upstream plugin/pkg/auth/authorizer/node's
 * graph_populator), kept by informers: pods indexed by spec.nodeName and
 * claims by namespace/name. The secrets, configmaps, claims and service
 * accounts a node may read follow from its pods (podReferences in
 * src/apiserver/auth/node.ts), so only pods and claims are cached.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { Client } from "../../../client/client.ts";
import { SharedInformerFactory } from "../../../client/factory.ts";
import type { NodeGraph } from "../../auth/node.ts";
import { getOrUndefined, REFS } from "./common.ts";

const BY_NODE = "spec.nodeName";

export interface NodeGraphOptions {
  /** shared informers (default: a factory of the graph's own, started with start()) */
  informers?: SharedInformerFactory;
}

/** The Node authorizer's graph with its informers' life cycle. */
export interface InformerNodeGraph extends NodeGraph {
  start(): void;
  /** resolves once pods and claims are listed */
  ready(): Promise<void>;
  stop(): void;
}

/** A NodeGraph backed by informers over a superuser client. */
export function nodeGraph(client: Client, opts: NodeGraphOptions = {}): InformerNodeGraph {
  const own = !opts.informers;
  const factory = opts.informers ?? new SharedInformerFactory(client);
  const pods = factory.informerFor(REFS.pods);
  pods.addIndexer(BY_NODE, (p) => {
    const n = (p.spec as { nodeName?: string } | undefined)?.nodeName;
    return n ? [n] : [];
  });
  const claims = factory.informerFor(REFS.persistentvolumeclaims);
  return {
    async podsOnNode(nodeName: string): Promise<KubeObject[]> {
      if (pods.hasSynced()) return pods.store.byIndex(BY_NODE, nodeName);
      // before the first list, ask the API server (a kubelet may be quicker than our informers at start-up)
      return (await client.list(REFS.pods, undefined, { fieldSelector: `spec.nodeName=${nodeName}` })).items;
    },
    async getObject(resource: string, namespace: string, name: string): Promise<KubeObject | undefined> {
      if (resource === "persistentvolumeclaims" && claims.hasSynced()) return claims.store.get(`${namespace}/${name}`);
      const ref = { group: "", version: "v1", resource, namespaced: namespace !== "" };
      return getOrUndefined(client, { ref, namespace: namespace || undefined, name });
    },
    start() {
      if (own) factory.start();
    },
    async ready() {
      await Promise.all([pods.waitForSync(), claims.waitForSync()]);
    },
    stop() {
      if (own) factory.stop();
    },
  };
}
