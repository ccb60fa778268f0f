/** Every description table, merged: one import per schema file's table. */
import type { DescriptionTable } from "./table.ts";
import { descriptions as coreV1Cluster } from "./core_v1_cluster.ts";
import { descriptions as coreV1Container } from "./core_v1_container.ts";
import { descriptions as coreV1Node } from "./core_v1_node.ts";
import { descriptions as coreV1Pod } from "./core_v1_pod.ts";
import { descriptions as coreV1Scheduling } from "./core_v1_scheduling.ts";
import { descriptions as coreV1Service } from "./core_v1_service.ts";
import { descriptions as coreV1Storage } from "./core_v1_storage.ts";
import { descriptions as coreV1VolumePlugins } from "./core_v1_volume_plugins.ts";
import { descriptions as coreV1Volumes } from "./core_v1_volumes.ts";
import { descriptions as intstr } from "./intstr.ts";
import { descriptions as metaV1 } from "./meta_v1.ts";
import { descriptions as resource } from "./resource.ts";
import { descriptions as runtime } from "./runtime.ts";

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
