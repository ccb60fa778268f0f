/**
 * The clusterrole-aggregation controller: watches ClusterRoles and rewrites
 * the rules of every ClusterRole with an aggregationRule whenever the roles
 * its selectors pick change (a chart adding an aggregate-to-view role, say).
 */
import type { Client, ResourceRef } from "../../../client/client.ts";
import { ApiError } from "../../../client/client.ts";
import { Informer } from "../../../client/informer.ts";
import { aggregateClusterRoles } from "./aggregation.ts";

const CLUSTER_ROLES: ResourceRef = { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", namespaced: false };

export interface AggregationControllerOptions {
  /** wait this long after a change before recomputing, to batch bursts (default 50 ms) */
  debounceMs?: number;
  /** reports failed writes (default: ignored, the next change retries) */
  onError?(err: unknown): void;
}

export interface AggregationController {
  /** resolves once the first pass over the listed roles is done */
  ready(): Promise<void>;
  stop(): void;
}

/** Starts the controller over client (which needs get/list/watch/update on clusterroles). */
export function startClusterRoleAggregation(client: Client, opts: AggregationControllerOptions = {}): AggregationController {
  const informer = new Informer(client, CLUSTER_ROLES);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = async (): Promise<void> => {
    for (const role of aggregateClusterRoles(informer.store.list())) {
      if (stopped) return;
      try {
        await client.update(CLUSTER_ROLES, undefined, role);
      } catch (err) {
        // a conflict means a newer version is on its way through the watch, which schedules another pass
        if (!(err instanceof ApiError && err.code === 409)) opts.onError?.(err);
      }
    }
  };
  const schedule = (): void => {
    if (stopped || !informer.hasSynced()) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      running = running.then(pass);
    }, opts.debounceMs ?? 50);
  };
  informer.addEventHandler({ add: schedule, update: schedule, delete: schedule });
  informer.start();
  const first = informer.waitForSync().then(() => {
    running = running.then(pass);
    return running;
  });
  return {
    ready: () => first,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      informer.stop();
    },
  };
}
