/**
 * Puts our own descriptions on the generated schemas, which carry none, so
 * that `kubectl explain` has a text for every definition and field. The
 * texts are data (one table per schema file, merged in index.ts); the
 * fallbacks here cover only fields that mean the same everywhere.
 */
import type { FieldSchema, SchemaRegistry } from "../kind.ts";
import { descriptions } from "./index.ts";
import type { DescriptionTable } from "./table.ts";

export type { DescriptionTable } from "./table.ts";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";

/** Texts for fields every kind and list shares; a table entry wins over these. */
const GENERIC: Record<string, string> = {
  apiVersion: "The API group and version this object is written in, such as v1 or apps/v1; the server converts the versions it knows into the one it stores.",
  kind: "The type of this object in CamelCase, such as Pod or Deployment; the server can tell it from the URL a request is sent to.",
};

const OBJECT_METADATA = "Standard object metadata: name, namespace, labels, annotations, owners and the fields the server maintains.";
const LIST_METADATA = "Standard list metadata: the resourceVersion the list was read at and the continue token of a paged list.";

function applyTable(schemas: SchemaRegistry, table: DescriptionTable): void {
  for (const [name, texts] of Object.entries(table)) {
    const def = schemas[name];
    if (!def) continue;
    for (const [field, text] of Object.entries(texts)) {
      if (field === "") def.description = text;
      else if (def.properties?.[field]) def.properties[field].description = text;
    }
  }
}

/** The definition name an array property's items refer to, if any. */
function itemKind(field: FieldSchema | undefined): string | undefined {
  const ref = field?.type === "array" ? field.items?.ref : undefined;
  return ref?.slice(ref.lastIndexOf(".") + 1);
}

/** Fills what no table said: shared fields, list types and their items. */
function applyGeneric(name: string, def: FieldSchema): void {
  const props = def.properties ?? {};
  for (const [field, text] of Object.entries(GENERIC)) {
    // an embedded TypeMeta's fields carry no protobuf number; a reference's own kind/apiVersion do
    const p = props[field];
    if (p && p.type === "string" && p.protobuf === undefined) p.description ??= text;
  }
  if (props.metadata?.ref === `${META}.ObjectMeta`) props.metadata.description ??= OBJECT_METADATA;
  if (props.metadata?.ref === `${META}.ListMeta`) {
    props.metadata.description ??= LIST_METADATA;
    const item = itemKind(props.items);
    const self = name.slice(name.lastIndexOf(".") + 1);
    if (item) {
      def.description ??= `${self} is a list of ${item} objects.`;
      props.items.description ??= `The ${item} objects in the list.`;
    }
  }
}

/** Adds our descriptions to the registry in place and returns it. */
export function withDescriptions(schemas: SchemaRegistry): SchemaRegistry {
  applyTable(schemas, descriptions);
  for (const [name, def] of Object.entries(schemas)) applyGeneric(name, def);
  return schemas;
}
