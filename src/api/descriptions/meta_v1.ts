/** Descriptions for io.k8s.apimachinery.pkg.apis.meta.v1 (src/api/schemas/apimachinery_meta_v1.ts). */
import type { DescriptionTable } from "./table.ts";

const M = "io.k8s.apimachinery.pkg.apis.meta.v1";

export const descriptions: DescriptionTable = {
  [`${M}.ObjectMeta`]: {
    "": "Metadata every persisted object has.",
    name: "Unique name within a namespace (or the cluster for cluster-scoped kinds); cannot be updated.",
    generateName: "Prefix the server uses to generate a unique name when name is empty.",
    namespace: "The namespace the object lives in; empty for cluster-scoped kinds.",
    uid: "Unique identifier the server assigns at creation; never reused.",
    resourceVersion: "Opaque version of this object, used for optimistic concurrency and watches.",
    generation: "Sequence number of the desired state, bumped by the server when spec changes.",
    creationTimestamp: "When the server created the object (RFC 3339, UTC).",
    deletionTimestamp: "When the object will be deleted; set by the server when deletion is requested.",
    deletionGracePeriodSeconds: "Seconds allowed for graceful termination before the object is removed.",
    labels: "Key/value pairs used to organize and select objects.",
    annotations: "Key/value pairs for arbitrary, non-identifying metadata.",
    ownerReferences: "Objects this one depends on; when all owners are gone the garbage collector deletes it.",
    finalizers: "Keys that must be removed before the object is deleted from storage.",
    managedFields: "Which manager owns which fields, maintained by the server for server-side apply.",
  },
};
