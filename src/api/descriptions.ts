/**
 * Our own short descriptions for what `kubectl explain` shows first: every
 * kind's top-level fields and the kinds themselves. Upstream's texts are not
 * copied; these say what a field is for in a sentence.
 */
import type { KindDef, SchemaRegistry } from "./kind.ts";

const TOP_LEVEL: Record<string, string> = {
  apiVersion: "The versioned schema of this representation of an object; servers convert recognized schemas to the latest internal value.",
  kind: "The REST resource this object represents, in CamelCase.",
  metadata: "Standard object metadata: name, namespace, labels, annotations, owners and the server-set fields.",
  spec: "The desired state, written by users and controllers.",
  status: "The most recently observed state, written by the system; read-only for clients.",
};

const META: Record<string, string> = {
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
};

function describeKind(kind: string): string {
  return `${kind} is a Kubernetes ${kind.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()} object.`;
}

/** Adds our descriptions to a copy of the registry (kinds' top-level fields, ObjectMeta). */
export function withDescriptions(schemas: SchemaRegistry, kinds: KindDef[]): SchemaRegistry {
  for (const k of kinds) {
    const def = schemas[k.schemaRef];
    if (!def) continue;
    def.description ??= describeKind(k.kind);
    for (const [name, text] of Object.entries(TOP_LEVEL)) {
      const p = def.properties?.[name];
      if (p) p.description ??= text;
    }
  }
  const meta = schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"];
  if (meta) {
    meta.description ??= "Metadata every persisted object has.";
    for (const [name, text] of Object.entries(META)) {
      const p = meta.properties?.[name];
      if (p) p.description ??= text;
    }
  }
  return schemas;
}
