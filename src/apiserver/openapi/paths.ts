/**
 * The OpenAPI v3 path items of one resource: collection and item
 * operations plus status/scale subresources, with the operation
 * extensions and query parameters kubectl looks for.
 */
import type { KindDef } from "../../api/kind.ts";
import { schemaRef } from "./schema.ts";
import type { JsonObject, JsonValue } from "./schema.ts";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
/** Definitions every group/version document refers to from its operations. */
export const OPERATION_DEFINITIONS = [`${META}.Status`, `${META}.DeleteOptions`, `${META}.Patch`, `${META}.WatchEvent`];
/** The definition of the scale subresource's body. */
export const SCALE_DEFINITION = "io.k8s.api.autoscaling.v1.Scale";

const DEFAULT_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const RESPONSE_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
const PATCH_TYPES_BUILTIN = [
  "application/apply-patch+yaml",
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
];
const PATCH_TYPES_CUSTOM = ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"];

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

function queryParam(name: string, type: "string" | "boolean" | "integer", description: string): JsonObject {
  return { name, in: "query", description, schema: { type }, uniqueItems: true };
}

function pathParam(name: string, description: string): JsonObject {
  return { name, in: "path", required: true, description, schema: { type: "string" }, uniqueItems: true };
}

const P = {
  pretty: queryParam("pretty", "string", "If 'true', the output is indented."),
  dryRun: queryParam("dryRun", "string", "When set to All, the request is validated and admitted but not persisted."),
  fieldManager: queryParam("fieldManager", "string", "The name of the actor making the change, recorded in managedFields."),
  fieldValidation: queryParam("fieldValidation", "string", "How to treat unknown or duplicate fields: Ignore, Warn or Strict."),
  force: queryParam("force", "boolean", "Server-side apply: take ownership of conflicting fields."),
  gracePeriodSeconds: queryParam("gracePeriodSeconds", "integer", "Seconds before the object is deleted; 0 deletes at once."),
  propagationPolicy: queryParam("propagationPolicy", "string", "Garbage collection of dependents: Orphan, Background or Foreground."),
  orphanDependents: queryParam("orphanDependents", "boolean", "Deprecated: use propagationPolicy."),
  list: [
    queryParam("allowWatchBookmarks", "boolean", "Ask for BOOKMARK events while watching."),
    queryParam("continue", "string", "The continue token of the previous page."),
    queryParam("fieldSelector", "string", "Restrict the list by field values."),
    queryParam("labelSelector", "string", "Restrict the list by labels."),
    queryParam("limit", "integer", "The most items to return in one page."),
    queryParam("resourceVersion", "string", "Which version of the collection to read."),
    queryParam("resourceVersionMatch", "string", "How resourceVersion applies: Exact or NotOlderThan."),
    queryParam("sendInitialEvents", "boolean", "Start a watch with the current objects, then a bookmark."),
    queryParam("timeoutSeconds", "integer", "End a list or watch after this many seconds."),
    queryParam("watch", "boolean", "Stream changes instead of listing."),
  ],
};

function content(definition: string, types: string[] = RESPONSE_TYPES): JsonObject {
  const out: JsonObject = {};
  for (const t of types) out[t] = { schema: { $ref: schemaRef(definition) } };
  return out;
}

function responses(codes: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  for (const [code, definition] of Object.entries(codes)) out[code] = { description: code === "201" ? "Created" : code === "202" ? "Accepted" : "OK", content: content(definition) };
  out["401"] = { description: "Unauthorized" };
  return out;
}

/** GroupVersion part of upstream operation ids: "" v1 → CoreV1, rbac.authorization.k8s.io v1 → RbacAuthorizationV1. */
export function operationGroupVersion(group: string, version: string): string {
  const title = (s: string) => (s === "" ? "" : s[0].toUpperCase() + s.slice(1));
  const g = group === "" ? "Core" : group.replace(/\.k8s\.io$/, "").split(/[.-]/).map(title).join("");
  return `${g}${title(version)}`;
}

export interface ResourcePathOptions {
  kind: KindDef;
  /** built-in kinds accept strategic merge patches; custom resources do not */
  strategicMerge: boolean;
}

interface Op {
  action: string;
  id: string;
  description: string;
  gvk: Gvk;
  params?: JsonObject[];
  body?: JsonObject;
  responses: JsonObject;
}

function operation(op: Op, tag: string): JsonObject {
  const out: JsonObject = {
    tags: [tag],
    description: op.description,
    operationId: op.id,
    "x-kubernetes-action": op.action,
    "x-kubernetes-group-version-kind": { group: op.gvk.group, version: op.gvk.version, kind: op.gvk.kind },
    responses: op.responses,
  };
  if (op.params && op.params.length > 0) out.parameters = op.params;
  if (op.body) out.requestBody = op.body;
  return out;
}

/** What every operation of one resource shares. */
interface ResourceCtx {
  k: KindDef;
  tag: string;
  /** group/version part of operation ids */
  gv: string;
  /** "Namespaced" or "" */
  ns: string;
  gvk: Gvk;
  nsParam: JsonObject[];
  nameParam: JsonObject;
  patchBody: JsonObject;
}

const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const STATUS = `${META}.Status`;
const DELETE_OPTIONS = `${META}.DeleteOptions`;

function collectionItem(c: ResourceCtx, verbs: Set<string>): JsonObject | undefined {
  const { k, gv, ns, gvk, tag } = c;
  const listRef = `${k.schemaRef}List`;
  const item: JsonObject = { parameters: [...c.nsParam, P.pretty] };
  if (verbs.has("list")) {
    item.get = operation({ action: "list", id: `list${gv}${ns}${k.kind}`, description: `list or watch objects of kind ${k.kind}`, gvk, params: P.list, responses: responses({ "200": listRef }) }, tag);
  }
  if (verbs.has("create")) {
    const body = { content: content(k.schemaRef, ["*/*"]), required: true };
    item.post = operation({ action: "post", id: `create${gv}${ns}${k.kind}`, description: `create a ${k.kind}`, gvk, params: WRITE_PARAMS, body, responses: responses({ "200": k.schemaRef, "201": k.schemaRef, "202": k.schemaRef }) }, tag);
  }
  if (verbs.has("deletecollection")) {
    const params = [...P.list.filter((p) => p.name !== "watch" && p.name !== "allowWatchBookmarks"), P.dryRun, P.gracePeriodSeconds, P.propagationPolicy];
    const body = { content: content(DELETE_OPTIONS, ["*/*"]) };
    item.delete = operation({ action: "deletecollection", id: `delete${gv}Collection${ns}${k.kind}`, description: `delete a collection of ${k.kind}`, gvk, params, body, responses: responses({ "200": STATUS }) }, tag);
  }
  return item.get || item.post || item.delete ? item : undefined;
}

function objectItem(c: ResourceCtx, verbs: Set<string>): JsonObject | undefined {
  const { k, gv, ns, gvk, tag } = c;
  const item: JsonObject = { parameters: [c.nameParam, ...c.nsParam, P.pretty] };
  if (verbs.has("get")) item.get = operation({ action: "get", id: `read${gv}${ns}${k.kind}`, description: `read the specified ${k.kind}`, gvk, responses: responses({ "200": k.schemaRef }) }, tag);
  if (verbs.has("update")) {
    const body = { content: content(k.schemaRef, ["*/*"]), required: true };
    item.put = operation({ action: "put", id: `replace${gv}${ns}${k.kind}`, description: `replace the specified ${k.kind}`, gvk, params: WRITE_PARAMS, body, responses: responses({ "200": k.schemaRef, "201": k.schemaRef }) }, tag);
  }
  if (verbs.has("patch")) {
    item.patch = operation({ action: "patch", id: `patch${gv}${ns}${k.kind}`, description: `partially update the specified ${k.kind}`, gvk, params: [...WRITE_PARAMS, P.force], body: c.patchBody, responses: responses({ "200": k.schemaRef, "201": k.schemaRef }) }, tag);
  }
  if (verbs.has("delete")) {
    const params = [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy];
    const body = { content: content(DELETE_OPTIONS, ["*/*"]) };
    item.delete = operation({ action: "delete", id: `delete${gv}${ns}${k.kind}`, description: `delete a ${k.kind}`, gvk, params, body, responses: responses({ "200": STATUS, "202": STATUS }) }, tag);
  }
  return item.get || item.put || item.patch || item.delete ? item : undefined;
}

/** get/put/patch of a subresource (status, scale) whose body is `definition` of kind `subGvk`. */
function subresourceItem(c: ResourceCtx, sub: { name: string; suffix: string; gvk: Gvk; definition: string }): JsonObject {
  const { k, tag } = c;
  const id = `${c.gv}${c.ns}${k.kind}${sub.suffix}`;
  const def = sub.definition;
  return {
    parameters: [c.nameParam, ...c.nsParam, P.pretty],
    get: operation({ action: "get", id: `read${id}`, description: `read ${sub.name} of the specified ${k.kind}`, gvk: sub.gvk, responses: responses({ "200": def }) }, tag),
    put: operation({ action: "put", id: `replace${id}`, description: `replace ${sub.name} of the specified ${k.kind}`, gvk: sub.gvk, params: WRITE_PARAMS, body: { content: content(def, ["*/*"]), required: true }, responses: responses({ "200": def, "201": def }) }, tag),
    patch: operation({ action: "patch", id: `patch${id}`, description: `partially update ${sub.name} of the specified ${k.kind}`, gvk: sub.gvk, params: [...WRITE_PARAMS, P.force], body: c.patchBody, responses: responses({ "200": def, "201": def }) }, tag),
  };
}

/** Path items (keyed by path) for one resource and its status/scale subresources. */
export function resourcePaths(opts: ResourcePathOptions): Record<string, JsonObject> {
  const k = opts.kind;
  const verbs = new Set(k.verbs ?? DEFAULT_VERBS);
  const prefix = k.group === "" ? `/api/${k.version}` : `/apis/${k.group}/${k.version}`;
  const patchTypes = opts.strategicMerge ? PATCH_TYPES_BUILTIN : PATCH_TYPES_CUSTOM;
  const c: ResourceCtx = {
    k,
    tag: `${k.group === "" ? "core" : k.group.replace(/\.k8s\.io$/, "")}_${k.version}`,
    gv: operationGroupVersion(k.group, k.version),
    ns: k.namespaced ? "Namespaced" : "",
    gvk: { group: k.group, version: k.version, kind: k.kind },
    nsParam: k.namespaced ? [pathParam("namespace", "object name and auth scope, such as for teams and projects")] : [],
    nameParam: pathParam("name", `name of the ${k.kind}`),
    patchBody: { content: Object.fromEntries(patchTypes.map((t) => [t, { schema: { $ref: schemaRef(`${META}.Patch`) } }])), required: true },
  };
  const collection = k.namespaced ? `${prefix}/namespaces/{namespace}/${k.resource}` : `${prefix}/${k.resource}`;
  const out: Record<string, JsonObject> = {};
  const coll = collectionItem(c, verbs);
  if (coll) out[collection] = coll;
  const one = objectItem(c, verbs);
  if (one) out[`${collection}/{name}`] = one;
  if (k.namespaced && verbs.has("list")) {
    out[`${prefix}/${k.resource}`] = {
      parameters: [P.pretty, ...P.list] as JsonValue[],
      get: operation({ action: "list", id: `list${c.gv}${k.kind}ForAllNamespaces`, description: `list or watch objects of kind ${k.kind} in all namespaces`, gvk: c.gvk, responses: responses({ "200": `${k.schemaRef}List` }) }, c.tag),
    };
  }
  if (k.statusSubresource) out[`${collection}/{name}/status`] = subresourceItem(c, { name: "status", suffix: "Status", gvk: c.gvk, definition: k.schemaRef });
  if (k.scale) out[`${collection}/{name}/scale`] = subresourceItem(c, { name: "scale", suffix: "Scale", gvk: { group: "autoscaling", version: "v1", kind: "Scale" }, definition: SCALE_DEFINITION });
  return out;
}
