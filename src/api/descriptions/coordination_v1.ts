/** Descriptions for io.k8s.api.coordination.v1 (src/api/schemas/api_coordination_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, OBJECT_META, apiVersionText } from "./common.ts";

const C = "io.k8s.api.coordination.v1";

const API_VERSION = apiVersionText("coordination.k8s.io/v1");

export const descriptions: DescriptionTable = {
  [`${C}.Lease`]: {
    "": "A lock held for a limited time, renewed by its holder: used for leader election and for node heartbeats (in kube-node-lease).",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "Who holds the lease and until when.",
  },
  [`${C}.LeaseList`]: {
    "": "A list of Leases.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The Leases.",
  },
  [`${C}.LeaseSpec`]: {
    "": "The state of a lease.",
    holderIdentity: "The identity of the current holder; empty when nobody holds it.",
    leaseDurationSeconds: "How many seconds after renewTime the lease lapses; others may take it after that.",
    acquireTime: "When the current holder took the lease.",
    renewTime: "When the holder last renewed the lease.",
    leaseTransitions: "How many times the lease has changed holders.",
    strategy: "How a new holder is chosen in coordinated leader election, e.g. \"OldestEmulationVersion\".",
    preferredHolder: "The candidate coordinated leader election wants to take over; the current holder should step down when it sees it.",
  },
};
