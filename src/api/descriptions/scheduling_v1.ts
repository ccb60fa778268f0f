/** Descriptions for io.k8s.api.scheduling.v1 (src/api/schemas/api_scheduling_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, apiVersionText } from "./common.ts";

const S = "io.k8s.api.scheduling.v1";

const API_VERSION = apiVersionText("scheduling.k8s.io/v1");

export const descriptions: DescriptionTable = {
  [`${S}.PriorityClass`]: {
    "": "Maps a name, used as a pod's priorityClassName, to a priority number; higher-priority pods are scheduled first and may preempt lower ones. Cluster-scoped.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: "Standard object metadata: name, labels, annotations and the server-set fields.",
    value: "The priority of pods of this class; higher is more important. Up to 1000000000 for user classes; larger values are for system classes.",
    globalDefault: "Whether pods without a priorityClassName get this class; only one class may have it. Existing pods are not changed.",
    description: "A free text saying when to use this class.",
    preemptionPolicy: "\"PreemptLowerPriority\" lets pods of this class evict lower-priority pods to make room; \"Never\" only puts them ahead in the queue. Defaults to PreemptLowerPriority.",
  },
  [`${S}.PriorityClassList`]: {
    "": "A list of PriorityClasses.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The PriorityClasses.",
  },
};
