/** Descriptions for io.k8s.apimachinery.pkg.apis.meta.v1 (src/api/schemas/apimachinery_meta_v1.ts). */
import type { DescriptionTable } from "./table.ts";

const M = "io.k8s.apimachinery.pkg.apis.meta.v1";

const DRY_RUN = "When set to [\"All\"], the request is validated and admitted but nothing is persisted. Other values are refused.";
const FIELD_MANAGER = "Name of the actor making the change, recorded in managedFields; at most 128 printable characters. Required for apply requests.";
const FIELD_VALIDATION = "What to do with unknown or duplicate fields in the body: Ignore drops them silently, Warn (the default) drops them and returns a warning, Strict fails the request.";

const discovery: DescriptionTable = {
  [`${M}.APIGroup`]: {
    "": "One API group served by the server, with the versions it offers.",
    name: "The group's name, such as apps; empty for the core group.",
    versions: "Every version of the group the server serves.",
    preferredVersion: "The version clients should use when they have no preference.",
    serverAddressByClientCIDRs: "Which server address clients should use, chosen by the network they connect from; they fall back to the address they used if none matches.",
  },
  [`${M}.APIGroupList`]: {
    "": "The groups the server serves, returned by /apis.",
    groups: "One entry per served API group.",
  },
  [`${M}.APIResource`]: {
    "": "One resource of a group version as discovery lists it, with its verbs and names.",
    name: "The plural resource name used in URLs, such as pods; subresources appear as pods/status.",
    singularName: "The singular name, which kubectl accepts as well; derived from the kind in lower case when empty.",
    namespaced: "Whether objects of this resource live in a namespace.",
    group: "The group of the kind, when it differs from the group version listed (for example autoscaling for a scale subresource).",
    version: "The version of the kind, when it differs from the group version listed.",
    kind: "The kind of object this resource holds, such as Pod.",
    verbs: "The operations the resource supports: get, list, watch, create, update, patch, delete, deletecollection.",
    shortNames: "Abbreviations clients may use for the resource, such as po for pods.",
    categories: "Groups of resources this one belongs to, such as all, so that kubectl get all can find it.",
    storageVersionHash: "A hash of the version objects are stored in; it changes when that version changes, telling clients to migrate stored data.",
  },
  [`${M}.APIResourceList`]: {
    "": "The resources of one group version, returned by /api/v1 and /apis/<group>/<version>.",
    groupVersion: "The group version these resources belong to, such as apps/v1.",
    resources: "One entry per resource and subresource.",
  },
  [`${M}.APIVersions`]: {
    "": "The versions of the core (legacy) API, returned by /api.",
    versions: "The versions served under /api, such as v1.",
    serverAddressByClientCIDRs: "Which server address clients should use, chosen by the network they connect from.",
  },
  [`${M}.GroupVersionForDiscovery`]: {
    "": "One version of a group as discovery names it.",
    groupVersion: "The group and version joined, such as apps/v1.",
    version: "The version alone, such as v1.",
  },
  [`${M}.ServerAddressByClientCIDR`]: {
    "": "A server address to use for clients from one network range.",
    clientCIDR: "The client network range this address is for, in CIDR notation.",
    serverAddress: "The address (host or host:port) clients in that range should connect to.",
  },
  [`${M}.RootPaths`]: {
    "": "The paths the server serves at its root.",
    paths: "Every top-level path, such as /api, /apis and /healthz.",
  },
};

const options: DescriptionTable = {
  [`${M}.ApplyOptions`]: {
    "": "Options of a server-side apply request.",
    dryRun: DRY_RUN,
    force: "Take ownership of fields other managers own instead of failing with a conflict.",
    fieldManager: FIELD_MANAGER,
  },
  [`${M}.CreateOptions`]: {
    "": "Options of a create request.",
    dryRun: DRY_RUN,
    fieldManager: FIELD_MANAGER,
    fieldValidation: FIELD_VALIDATION,
  },
  [`${M}.UpdateOptions`]: {
    "": "Options of an update (PUT) request.",
    dryRun: DRY_RUN,
    fieldManager: FIELD_MANAGER,
    fieldValidation: FIELD_VALIDATION,
  },
  [`${M}.PatchOptions`]: {
    "": "Options of a patch request.",
    dryRun: DRY_RUN,
    force: "For apply patches only: take ownership of fields other managers own instead of failing with a conflict.",
    fieldManager: FIELD_MANAGER,
    fieldValidation: FIELD_VALIDATION,
  },
  [`${M}.GetOptions`]: {
    "": "Options of a get request.",
    resourceVersion: "Which version to read: empty reads the latest from storage; \"0\" allows any version the cache holds.",
  },
  [`${M}.DeleteOptions`]: {
    "": "Options of a delete request, sent as its body or as query parameters.",
    gracePeriodSeconds: "Seconds to wait before the object is removed; 0 means at once, unset uses the kind's default.",
    preconditions: "Conditions the object must meet to be deleted; otherwise the request fails with a conflict.",
    orphanDependents: "Deprecated in favour of propagationPolicy: true leaves dependents in place, false deletes them.",
    propagationPolicy: "How dependents are handled: Orphan leaves them, Background deletes them after the owner, Foreground deletes them before the owner.",
    dryRun: DRY_RUN,
    ignoreStoreReadErrorWithClusterBreakingPotential: "Delete an object the server cannot read back from storage (for example undecryptable) without running finalizers or admission. Needs extra permission and can break the cluster.",
  },
  [`${M}.Preconditions`]: {
    "": "Conditions a delete requires of the object.",
    uid: "The object must have this UID.",
    resourceVersion: "The object must be at this resourceVersion.",
  },
  [`${M}.ListOptions`]: {
    "": "Options of a list or watch request.",
    labelSelector: "Only return objects whose labels match this selector, such as app=web,tier!=db.",
    fieldSelector: "Only return objects whose fields match this selector, such as metadata.name=web; each kind supports a few fields.",
    watch: "Stream add, update and delete events instead of returning a list.",
    allowWatchBookmarks: "Let a watch send BOOKMARK events, which carry only a resourceVersion so a client can resume from it.",
    resourceVersion: "Where to start: empty reads the latest; \"0\" allows any cached state; a version starts a watch after it.",
    resourceVersionMatch: "How resourceVersion applies to a list: Exact reads at that version, NotOlderThan at it or later.",
    timeoutSeconds: "End the list or watch after this many seconds.",
    limit: "Return at most this many objects and a continue token for the rest.",
    continue: "The token of a previous paged list, to fetch its next page.",
    sendInitialEvents: "With watch, first send the current objects as ADDED events, then a bookmark, then changes.",
  },
  [`${M}.TableOptions`]: {
    "": "Options of a request for a Table rendering of objects.",
    includeObject: "What each row's object holds: None, Metadata (the default) or Object.",
  },
};

const meta: DescriptionTable = {
  [`${M}.ObjectMeta`]: {
    "": "Metadata every persisted object has.",
    name: "Unique name within a namespace (or the cluster for cluster-scoped kinds); cannot be updated.",
    generateName: "Prefix the server uses to generate a unique name when name is empty.",
    namespace: "The namespace the object lives in; empty for cluster-scoped kinds.",
    selfLink: "Deprecated and no longer set by the server.",
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
  [`${M}.ListMeta`]: {
    "": "Metadata of a list response.",
    selfLink: "Deprecated and no longer set by the server.",
    resourceVersion: "The version of the collection the list was read at; a watch started from it sees every later change.",
    continue: "Set when more objects remain: pass it as continue to read the next page. Pages may fail with 410 Gone once it expires.",
    remainingItemCount: "How many objects are left after this page, when the server can tell; not set for lists with a label or field selector.",
  },
  [`${M}.OwnerReference`]: {
    "": "Names an object this one depends on; all referenced owners must be in the same namespace or cluster-scoped.",
    apiVersion: "The owner's API version.",
    kind: "The owner's kind.",
    name: "The owner's name.",
    uid: "The owner's UID; the reference only counts while an object with this UID exists.",
    controller: "Whether this owner is the managing controller; at most one owner may have it set.",
    blockOwnerDeletion: "With foreground deletion, keep the owner until this object is gone. Setting it needs delete permission on the owner.",
  },
  [`${M}.ManagedFieldsEntry`]: {
    "": "The set of fields one manager owns, as server-side apply tracks it.",
    manager: "The name of the manager that owns these fields.",
    operation: "How the fields were last written: Apply or Update.",
    apiVersion: "The API version the fields are expressed in.",
    time: "When the manager last changed these fields.",
    fieldsType: "The format of the field set; only FieldsV1 exists.",
    fieldsV1: "The owned fields as a trie of field paths.",
    subresource: "The subresource the fields were written through, such as status; empty for the main resource.",
  },
  [`${M}.FieldsV1`]: { "": "A set of field paths encoded as a JSON trie (f:name keys for fields, k:{...} for list items by key)." },
  [`${M}.LabelSelector`]: {
    "": "Selects objects by their labels; all its terms must match. An empty selector matches every object, an absent one none.",
    matchLabels: "Labels that must be present with exactly these values.",
    matchExpressions: "Label requirements that must all hold.",
  },
  [`${M}.LabelSelectorRequirement`]: {
    "": "One condition on a label: a key, an operator and values.",
    key: "The label key the condition applies to.",
    operator: "One of In, NotIn, Exists and DoesNotExist.",
    values: "The values for In and NotIn (at least one); must be empty for Exists and DoesNotExist.",
  },
  [`${M}.FieldSelectorRequirement`]: {
    "": "One condition on a field: a key, an operator and values.",
    key: "The field path the condition applies to.",
    operator: "One of In, NotIn, Exists and DoesNotExist.",
    values: "The values for In and NotIn (at least one); must be empty for Exists and DoesNotExist.",
  },
  [`${M}.Condition`]: {
    "": "One aspect of an object's observed state, in the common condition form.",
    type: "The condition's name in CamelCase, such as Ready or Available.",
    status: "True, False or Unknown.",
    observedGeneration: "The metadata.generation the condition was computed from.",
    lastTransitionTime: "When status last changed.",
    reason: "A CamelCase word saying why the condition has its status.",
    message: "A human-readable explanation of the status.",
  },
};

const values: DescriptionTable = {
  [`${M}.Time`]: { "": "A point in time, serialized as an RFC 3339 string with second precision." },
  [`${M}.MicroTime`]: { "": "A point in time, serialized as an RFC 3339 string with microsecond precision." },
  [`${M}.Duration`]: { "": "A length of time written as a Go duration string, such as 30s or 1h5m." },
  [`${M}.Timestamp`]: {
    "": "A point in time as seconds and nanoseconds since the Unix epoch.",
    seconds: "Whole seconds since 1970-01-01T00:00:00Z.",
    nanos: "Nanoseconds past those seconds, from 0 to 999,999,999.",
  },
  [`${M}.GroupKind`]: { "": "A kind within an API group, without a version.", group: "The API group; empty for the core group.", kind: "The kind name." },
  [`${M}.GroupResource`]: { "": "A resource within an API group, without a version.", group: "The API group; empty for the core group.", resource: "The plural resource name." },
  [`${M}.GroupVersion`]: { "": "An API group and one of its versions.", group: "The API group; empty for the core group.", version: "The version, such as v1." },
  [`${M}.GroupVersionKind`]: {
    "": "A kind within a group version.",
    group: "The API group; empty for the core group.",
    version: "The version, such as v1.",
    kind: "The kind name.",
  },
  [`${M}.GroupVersionResource`]: {
    "": "A resource within a group version.",
    group: "The API group; empty for the core group.",
    version: "The version, such as v1.",
    resource: "The plural resource name.",
  },
  [`${M}.TypeMeta`]: {
    "": "The kind and API version every serialized object carries.",
    kind: "The type of the object in CamelCase.",
    apiVersion: "The API group and version the object is written in.",
  },
};

const responses: DescriptionTable = {
  [`${M}.Status`]: {
    "": "The result of a request that returns no object, such as a failure or a delete.",
    metadata: "List metadata; unused.",
    status: "Success or Failure.",
    message: "A human-readable description of the result.",
    reason: "A CamelCase word classifying a failure, such as NotFound, AlreadyExists, Conflict or Invalid.",
    details: "More data about the failure, depending on reason.",
    code: "The HTTP status code of the response.",
  },
  [`${M}.StatusDetails`]: {
    "": "Data about a failed request: the object it concerned and the causes.",
    name: "The name of the object concerned, if there is one.",
    group: "The API group of the object concerned.",
    kind: "The kind of the object concerned.",
    uid: "The UID of the object concerned, if known.",
    causes: "The individual problems, such as one entry per invalid field.",
    retryAfterSeconds: "How many seconds a client should wait before retrying, when the failure is temporary.",
  },
  [`${M}.StatusCause`]: {
    "": "One problem that made a request fail.",
    reason: "A CamelCase word for the problem, such as FieldValueRequired.",
    message: "A human-readable description of the problem.",
    field: "The path of the field at fault, such as spec.containers[0].image.",
  },
  [`${M}.WatchEvent`]: {
    "": "One event of a watch stream.",
    type: "ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.",
    object: "The object after the change; the last state for DELETED, a Status for ERROR.",
  },
  [`${M}.List`]: {
    "": "A list of objects of any kinds.",
    items: "The objects, each with its own kind and apiVersion.",
  },
  [`${M}.PartialObjectMetadata`]: { "": "An object reduced to its metadata, returned when a client asks for metadata only." },
  [`${M}.PartialObjectMetadataList`]: { "": "A list of objects reduced to their metadata." },
  [`${M}.Table`]: {
    "": "Objects rendered as a table of columns and rows, as kubectl get prints them.",
    columnDefinitions: "The columns, in order.",
    rows: "One row per object.",
  },
  [`${M}.TableColumnDefinition`]: {
    "": "One column of a Table.",
    name: "The column's header.",
    type: "The OpenAPI type of the cells: string, integer, number, boolean or date.",
    format: "An optional OpenAPI format refining type, such as name for the object name column.",
    description: "What the column shows.",
    priority: "0 for columns shown by default; higher for columns shown only with -o wide.",
  },
  [`${M}.TableRow`]: {
    "": "One row of a Table.",
    cells: "The cell values, one per column, in column order.",
    conditions: "Extra states of the row, such as Completed for finished pods.",
    object: "The object the row renders, or its metadata, as TableOptions asked.",
  },
  [`${M}.TableRowCondition`]: {
    "": "One extra state of a Table row.",
    type: "The condition's name; Completed marks a row that finished its work.",
    status: "True, False or Unknown.",
    reason: "A CamelCase word saying why the condition has its status.",
    message: "A human-readable explanation.",
  },
};

export const descriptions: DescriptionTable = { ...discovery, ...options, ...meta, ...values, ...responses };
