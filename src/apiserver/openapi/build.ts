/**
 * OpenAPI v3 documents generated from the kinds' schemas: one document per
 * group/version (paths + the definitions they reach) and the /openapi/v3
 * index pointing at each by a content hash. Documents are built on first
 * use and kept; rebuild the whole set when kinds change (CRDs).
 */
import { createHash } from "node:crypto";
import type { FieldSchema, KindDef, SchemaRegistry } from "../../api/kind.ts";
import { OPERATION_DEFINITIONS, resourcePaths, SCALE_DEFINITION } from "./paths.ts";
import { referencedDefinitions, toOpenApiSchema } from "./schema.ts";
import type { JsonObject, JsonValue } from "./schema.ts";

/** A kind, optionally marked as a custom resource (served without strategic merge patch). */
export type OpenApiKind = KindDef & { customResource?: boolean };

/** One served document. */
export interface OpenApiDocument {
  /** "api/v1", "apis/apps/v1" */
  name: string;
  body: Buffer;
  /** upper-case hex SHA-512 of body, as kube-apiserver's serverRelativeURL hashes */
  hash: string;
}

export interface OpenApiV3Documents {
  /** the group/version names, sorted */
  names(): string[];
  get(name: string): OpenApiDocument | undefined;
  /** the /openapi/v3 body: {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"}}} */
  index(): OpenApiDocument;
}

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
/** The Kubernetes version the documents describe. */
const INFO_VERSION = "v1.32.0";

function hashOf(body: Buffer): string {
  return createHash("sha512").update(body).digest("hex").toUpperCase();
}

const BUILTIN_PREFIXES = ["io.k8s.api.", "io.k8s.apiextensions-apiserver.", "io.k8s.kube-aggregator.", "io.k8s.apimachinery."];

/** Built-in kinds come with upstream definition names; anything else (x.k8s.io CRDs included) is a custom resource. */
function isCustom(k: OpenApiKind): boolean {
  return k.customResource ?? !BUILTIN_PREFIXES.some((p) => k.schemaRef.startsWith(p));
}

function docName(k: KindDef): string {
  return k.group === "" ? `api/${k.version}` : `apis/${k.group}/${k.version}`;
}

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

function kindDescription(k: KindDef): string {
  const scope = k.namespaced ? "namespaced" : "cluster-scoped";
  const gv = k.group === "" ? k.version : `${k.group}/${k.version}`;
  return `${k.kind} is a ${scope} ${gv} resource, served as "${k.resource}".`;
}

function listDefinition(itemRef: string, k: KindDef): FieldSchema {
  return {
    type: "object",
    description: `${k.listKind} is a list of ${k.kind} objects.`,
    properties: {
      apiVersion: { type: "string", description: FIELD_TEXT.apiVersion },
      kind: { type: "string", description: FIELD_TEXT.kind },
      metadata: { ref: `${META}.ListMeta`, description: "Standard list metadata: the list's resourceVersion and the continue token for paging." },
      items: { type: "array", items: { ref: itemRef }, description: `The ${k.kind} objects in the list.` },
    },
    required: ["items"],
  };
}

const FIELD_TEXT: Record<string, string> = {
  apiVersion: "The versioned schema of this representation of an object.",
  kind: "The REST resource this object represents, in CamelCase.",
  metadata: "Standard object metadata: name, namespace, labels, annotations and the fields the server maintains.",
  spec: "The desired state of the object.",
  status: "The most recently observed state of the object; written by the system.",
};

/** Adds our descriptions to a kind's top-level schema and its well-known fields. */
function describeKind(schema: FieldSchema, k: KindDef): FieldSchema {
  const properties: Record<string, FieldSchema> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    properties[name] = field.description || !FIELD_TEXT[name] ? field : { ...field, description: FIELD_TEXT[name] };
  }
  return { ...schema, description: schema.description ?? kindDescription(k), properties };
}

/** Definitions the operations name that a registry may lack. */
const FALLBACKS: Record<string, JsonObject> = {
  [`${META}.Patch`]: { type: "object", description: "The body of a PATCH request; its form follows the request's Content-Type." },
};

interface Plan {
  registry: SchemaRegistry;
  gvks: Map<string, Gvk[]>;
  byDoc: Map<string, OpenApiKind[]>;
}

function plan(kinds: OpenApiKind[], schemas: SchemaRegistry): Plan {
  const registry: SchemaRegistry = { ...schemas };
  const gvks = new Map<string, Gvk[]>();
  const addGvk = (name: string, gvk: Gvk) => {
    const list = gvks.get(name) ?? [];
    if (!list.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) list.push(gvk);
    gvks.set(name, list);
  };
  const byDoc = new Map<string, OpenApiKind[]>();
  for (const k of kinds) {
    const root = registry[k.schemaRef];
    if (!root) throw new Error(`kind ${k.kind} (${k.group}/${k.version}) refers to schema "${k.schemaRef}" that is not in the registry`);
    registry[k.schemaRef] = describeKind(root, k);
    const listRef = `${k.schemaRef}List`;
    if (!registry[listRef]) registry[listRef] = listDefinition(k.schemaRef, k);
    addGvk(k.schemaRef, { group: k.group, version: k.version, kind: k.kind });
    addGvk(listRef, { group: k.group, version: k.version, kind: k.listKind });
    const name = docName(k);
    byDoc.set(name, [...(byDoc.get(name) ?? []), k]);
  }
  addGvk(SCALE_DEFINITION, { group: "autoscaling", version: "v1", kind: "Scale" });
  addGvk(`${META}.Status`, { group: "", version: "v1", kind: "Status" });
  return { registry, gvks, byDoc };
}

function buildDocument(p: Plan, kinds: OpenApiKind[]): JsonObject {
  const paths: Record<string, JsonObject> = {};
  const roots = new Set<string>(OPERATION_DEFINITIONS);
  for (const k of [...kinds].sort((a, b) => a.resource.localeCompare(b.resource))) {
    Object.assign(paths, resourcePaths({ kind: k, strategicMerge: !isCustom(k) }));
    roots.add(k.schemaRef);
    roots.add(`${k.schemaRef}List`);
    if (k.scale) roots.add(SCALE_DEFINITION);
  }
  const schemas: JsonObject = {};
  for (const name of referencedDefinitions([...roots], p.registry)) {
    const fs = p.registry[name];
    // an operation may name a meta definition the registry lacks: describe it loosely rather than dangle
    const schema = fs ? toOpenApiSchema(fs) : (FALLBACKS[name] ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true });
    const gvk = p.gvks.get(name);
    if (gvk) schema["x-kubernetes-group-version-kind"] = gvk.map((g) => ({ group: g.group, kind: g.kind, version: g.version })) as JsonValue;
    schemas[name] = schema;
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: INFO_VERSION },
    paths,
    components: {
      schemas,
      securitySchemes: { BearerToken: { type: "apiKey", description: "Bearer Token authentication", name: "authorization", in: "header" } },
    },
  };
}

/** Plans the documents for these kinds; each document is rendered when first asked for. */
export function buildOpenApiV3(kinds: OpenApiKind[], schemas: SchemaRegistry): OpenApiV3Documents {
  const p = plan(kinds, schemas);
  const names = [...p.byDoc.keys()].sort();
  const rendered = new Map<string, OpenApiDocument>();
  let index: OpenApiDocument | undefined;
  const get = (name: string): OpenApiDocument | undefined => {
    const done = rendered.get(name);
    if (done) return done;
    const kindsOf = p.byDoc.get(name);
    if (!kindsOf) return undefined;
    const body = Buffer.from(JSON.stringify(buildDocument(p, kindsOf)));
    const doc = { name, body, hash: hashOf(body) };
    rendered.set(name, doc);
    return doc;
  };
  return {
    names: () => [...names],
    get,
    index() {
      if (index) return index;
      const paths: JsonObject = {};
      for (const name of names) paths[name] = { serverRelativeURL: `/openapi/v3/${name}?hash=${get(name)?.hash}` };
      const body = Buffer.from(JSON.stringify({ paths }));
      index = { name: "", body, hash: hashOf(body) };
      return index;
    },
  };
}
