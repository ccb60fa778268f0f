/** Descriptions for io.k8s.api.node.v1 (src/api/schemas/api_node_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, apiVersionText } from "./common.ts";

const N = "io.k8s.api.node.v1";

const API_VERSION = apiVersionText("node.k8s.io/v1");

export const descriptions: DescriptionTable = {
  [`${N}.Overhead`]: {
    "": "Resources a runtime class uses for each pod on top of what the containers request.",
    podFixed: "The fixed amount of each resource, e.g. memory and cpu, added to every pod of the class when scheduling and limiting it.",
  },
  [`${N}.RuntimeClass`]: {
    "": "A container runtime configuration pods can choose with runtimeClassName, e.g. a sandboxed runtime; cluster-scoped.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: "Standard object metadata: name, labels, annotations and the server-set fields.",
    handler: "The name of the runtime handler in the node's CRI configuration (a containerd runtime name, e.g. \"runc\"); a DNS label. Cannot be changed.",
    overhead: "Resources each pod of this class uses beyond its containers. Unset means none.",
    scheduling: "Which nodes support this class; pods of the class are only scheduled there. Unset means every node does.",
  },
  [`${N}.RuntimeClassList`]: {
    "": "A list of RuntimeClasses.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The RuntimeClasses.",
  },
  [`${N}.Scheduling`]: {
    "": "Where pods of a runtime class can run; merged into each pod at admission.",
    nodeSelector: "Labels nodes must have to support the class; merged with the pod's own nodeSelector, and a conflict rejects the pod.",
    tolerations: "Tolerations added to every pod of the class, so that it can run on nodes tainted for the runtime.",
  },
};
