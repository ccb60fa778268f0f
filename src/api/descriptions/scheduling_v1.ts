/** Descriptions for io.k8s.api.scheduling.v1 (src/api/schemas/api_scheduling_v1.ts). */
import type { DescriptionTable } from "./table.ts";

const S = "io.k8s.api.scheduling.v1";

const KIND = "The REST resource this object represents, in CamelCase.";
const API_VERSION = "The group and version of this object's schema, here \"scheduling.k8s.io/v1\".";

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
    metadata: "Standard list metadata: the collection's resourceVersion and the continue token for paging.",
    items: "The PriorityClasses.",
  },
};
