/** Server-side printing: objects as meta.k8s.io Tables, and as PartialObjectMetadata. */
import type { KindDef, PrinterColumn } from "../api/kind.ts";
import type { KubeObject, ListMeta } from "../api/types.ts";

export type IncludeObject = "None" | "Metadata" | "Object";

const DEFAULT_COLUMNS: PrinterColumn[] = [
  { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0 },
  { name: "Created At", type: "date", description: "CreationTimestamp is the time the object was created.", priority: 0 },
];

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: "Table";
  apiVersion: string;
  metadata: ListMeta;
  columnDefinitions: PrinterColumn[];
  rows: TableRow[];
}

/** The object as PartialObjectMetadata (metadata only). */
export function partialMetadata(obj: KubeObject, version = "v1"): KubeObject {
  return { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/** Reads includeObject, defaulting to Metadata as upstream. */
export function includeObjectParam(query: URLSearchParams): IncludeObject {
  const v = query.get("includeObject");
  return v === "None" || v === "Object" ? v : "Metadata";
}

function rowFor(kind: KindDef, obj: KubeObject, include: IncludeObject, version: string): TableRow {
  const cells = kind.columns && kind.row ? kind.row(obj) : [obj.metadata.name ?? "", obj.metadata.creationTimestamp ?? ""];
  const row: TableRow = { cells };
  if (include === "Metadata") row.object = partialMetadata(obj, version);
  else if (include === "Object") row.object = obj;
  return row;
}

/** Builds a Table of objects of one kind. */
export function toTable(kind: KindDef, opts: { objects: KubeObject[]; listMeta: ListMeta; include: IncludeObject; version?: string; noHeaders?: boolean }): Table {
  const version = opts.version ?? "v1";
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${version}`,
    metadata: opts.listMeta,
    columnDefinitions: opts.noHeaders ? [] : kind.columns && kind.row ? kind.columns : DEFAULT_COLUMNS,
    rows: opts.objects.map((o) => rowFor(kind, o, opts.include, version)),
  };
}
