/**
 * RBAC objects kept in memory by informers (list + watch through a Client),
 * so the authorizer re-reads them for free and learns of every change
 * within one watch event: without this a `kubectl create rolebinding`
 * followed at once by `kubectl auth can-i` could see the old answer.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { Client, ResourceRef } from "../../../client/client.ts";
import { Informer } from "../../../client/informer.ts";
import type { RbacAuthorizer } from "./authorizer.ts";
import type { RbacLister } from "./types.ts";

const GROUP = "rbac.authorization.k8s.io";

export interface RbacInformers {
  /** reads wait for the first list of each resource, then answer from memory */
  lister: RbacLister;
  /** start the list/watch loops; every add/update/delete calls authorizer.invalidate() */
  start(authorizer?: Pick<RbacAuthorizer, "invalidate">): void;
  stop(): void;
}

/** Informers for Role, RoleBinding, ClusterRole and ClusterRoleBinding over client. */
export function createRbacInformers(client: Client): RbacInformers {
  const ref = (resource: string, namespaced: boolean): ResourceRef => ({ group: GROUP, version: "v1", resource, namespaced });
  const informers = {
    roles: new Informer(client, ref("roles", true)),
    rolebindings: new Informer(client, ref("rolebindings", true)),
    clusterroles: new Informer(client, ref("clusterroles", false)),
    clusterrolebindings: new Informer(client, ref("clusterrolebindings", false)),
  };
  const read = (i: Informer) => async (): Promise<KubeObject[]> => {
    await i.waitForSync();
    return i.store.list();
  };
  return {
    lister: {
      listRoles: read(informers.roles),
      listRoleBindings: read(informers.rolebindings),
      listClusterRoles: read(informers.clusterroles),
      listClusterRoleBindings: read(informers.clusterrolebindings),
    },
    start(authorizer) {
      for (const i of Object.values(informers)) {
        if (authorizer) {
          const changed = () => authorizer.invalidate();
          i.addEventHandler({ add: changed, update: changed, delete: changed });
        }
        i.start();
      }
    },
    stop() {
      for (const i of Object.values(informers)) i.stop();
    },
  };
}
