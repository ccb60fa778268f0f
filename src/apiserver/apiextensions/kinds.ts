/**
 * A CustomResourceDefinition as the REST core's data: one KindDef per served
 * version (names, scope, subresources, printer columns, schema validation,
 * pruning and defaulting) and the OpenAPI schema entries they reference.
 */
import type { FieldSchema, KindDef } from "../../api/kind.ts";
import type { KubeObject } from "../../api/types.ts";
import { ApiStatusError, failure } from "../errors.ts";
import { customResourceSchema, type OpenApiKind } from "../openapi/mod.ts";
import { printerColumns } from "./printer.ts";
import { defaultObject, pruneObject } from "./structural.ts";
import type { Crd, CrdVersion, Schema } from "./types.ts";
import { validateAgainstSchema } from "./validate.ts";

/** What one CRD contributes to the server. */
export interface CustomResourceKinds {
  kinds: KindDef[];
  /** schema registry entries (definition name → schema) the kinds reference */
  schemas: Record<string, FieldSchema>;
}

export interface CustomResourceKindOptions {
  /** true while the CRD is being deleted: creates are refused as upstream */
  terminating?: () => boolean;
}

/** The storage version of a CRD (the one marked storage: true). */
export function storageVersionOf(crd: Crd): string | undefined {
  return crd.spec.versions.find((v) => v.storage)?.name;
}

function kindFor(crd: Crd, v: CrdVersion, opts: CustomResourceKindOptions & { schemaRef: string }): OpenApiKind {
  const { group, names, scope } = crd.spec;
  const schema: Schema | undefined = v.schema?.openAPIV3Schema;
  const printer = printerColumns(v.additionalPrinterColumns);
  const statusSubresource = v.subresources?.status !== undefined;
  const preserveAll = crd.spec.preserveUnknownFields === true || !schema;
  const kind: OpenApiKind = {
    group,
    version: v.name,
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    resource: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    namespaced: scope === "Namespaced",
    ...(names.shortNames?.length ? { shortNames: [...names.shortNames] } : {}),
    ...(names.categories?.length ? { categories: [...names.categories] } : {}),
    schemaRef: opts.schemaRef,
    customResource: true,
    statusSubresource,
    ...(v.subresources?.scale ? { scale: { ...v.subresources.scale } } : {}),
    storageVersion: storageVersionOf(crd),
    columns: printer.columns,
    row: printer.row,
    defaults(obj) {
      if (!schema) return;
      if (!preserveAll) pruneObject(obj, schema);
      defaultObject(obj, schema);
    },
    validate(obj) {
      return schema ? validateAgainstSchema(obj, schema) : [];
    },
    prepareForCreate(obj) {
      if (opts.terminating?.()) {
        throw new ApiStatusError(failure(405, { reason: "MethodNotAllowed", message: "create not allowed while custom resource definition is terminating" }));
      }
      if (statusSubresource) delete (obj as KubeObject).status;
    },
  };
  return kind;
}

/** The kinds and schemas of a CRD's served versions. */
export function customResourceKinds(crd: Crd, opts: CustomResourceKindOptions = {}): CustomResourceKinds {
  const kinds: KindDef[] = [];
  const schemas: Record<string, FieldSchema> = {};
  for (const v of crd.spec.versions) {
    if (!v.served) continue;
    const entry = customResourceSchema({ group: crd.spec.group, version: v.name, kind: crd.spec.names.kind, openAPIV3Schema: v.schema?.openAPIV3Schema });
    schemas[entry.name] = entry.schema;
    kinds.push(kindFor(crd, v, { ...opts, schemaRef: entry.name }));
  }
  return { kinds, schemas };
}
