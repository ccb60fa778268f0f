/** Every description table, merged: one import per schema file's table. */
import type { DescriptionTable } from "./table.ts";
import { descriptions as admissionregistrationV1 } from "./admissionregistration_v1.ts";
import { descriptions as apiextensionsV1 } from "./apiextensions_v1.ts";
import { descriptions as apiregistrationV1 } from "./apiregistration_v1.ts";
import { descriptions as appsV1 } from "./apps_v1.ts";
import { descriptions as authenticationV1 } from "./authentication_v1.ts";
import { descriptions as authorizationV1 } from "./authorization_v1.ts";
import { descriptions as autoscalingV1 } from "./autoscaling_v1.ts";
import { descriptions as autoscalingV2 } from "./autoscaling_v2.ts";
import { descriptions as batchV1 } from "./batch_v1.ts";
import { descriptions as certificatesV1 } from "./certificates_v1.ts";
import { descriptions as coordinationV1 } from "./coordination_v1.ts";
import { descriptions as coreV1Cluster } from "./core_v1_cluster.ts";
import { descriptions as coreV1Container } from "./core_v1_container.ts";
import { descriptions as coreV1Node } from "./core_v1_node.ts";
import { descriptions as coreV1Pod } from "./core_v1_pod.ts";
import { descriptions as coreV1Scheduling } from "./core_v1_scheduling.ts";
import { descriptions as coreV1Service } from "./core_v1_service.ts";
import { descriptions as coreV1Storage } from "./core_v1_storage.ts";
import { descriptions as coreV1VolumePlugins } from "./core_v1_volume_plugins.ts";
import { descriptions as coreV1Volumes } from "./core_v1_volumes.ts";
import { descriptions as discoveryV1 } from "./discovery_v1.ts";
import { descriptions as eventsV1 } from "./events_v1.ts";
import { descriptions as flowcontrolV1 } from "./flowcontrol_v1.ts";
import { descriptions as intstr } from "./intstr.ts";
import { descriptions as metaV1 } from "./meta_v1.ts";
import { descriptions as networkingV1 } from "./networking_v1.ts";
import { descriptions as nodeV1 } from "./node_v1.ts";
import { descriptions as policyV1 } from "./policy_v1.ts";
import { descriptions as rbacV1 } from "./rbac_v1.ts";
import { descriptions as resource } from "./resource.ts";
import { descriptions as runtime } from "./runtime.ts";
import { descriptions as schedulingV1 } from "./scheduling_v1.ts";
import { descriptions as storageV1 } from "./storage_v1.ts";

/** The tables in the order they are merged; a later entry for the same text wins. */
const TABLES: DescriptionTable[] = [
  metaV1,
  runtime,
  intstr,
  resource,
  coreV1Container,
  coreV1Pod,
  coreV1Scheduling,
  coreV1Volumes,
  coreV1VolumePlugins,
  coreV1Storage,
  coreV1Service,
  coreV1Node,
  coreV1Cluster,
  admissionregistrationV1,
  apiextensionsV1,
  apiregistrationV1,
  appsV1,
  authenticationV1,
  authorizationV1,
  autoscalingV1,
  autoscalingV2,
  batchV1,
  certificatesV1,
  coordinationV1,
  discoveryV1,
  eventsV1,
  flowcontrolV1,
  networkingV1,
  nodeV1,
  policyV1,
  rbacV1,
  schedulingV1,
  storageV1,
];

function merge(tables: DescriptionTable[]): DescriptionTable {
  const out: DescriptionTable = {};
  for (const table of tables) {
    for (const [definition, texts] of Object.entries(table)) {
      out[definition] = { ...out[definition], ...texts };
    }
  }
  return out;
}

/** All our descriptions, keyed by upstream's definition names. */
export const descriptions: DescriptionTable = merge(TABLES);
