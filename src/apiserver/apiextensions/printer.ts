/**
 * additionalPrinterColumns as Table columns and cells: a JSONPath subset
 * (.a.b, [n], ['key']) and upstream's cell typing (dates as ages, numbers kept,
 * missing values as null so kubectl prints <none>).
 */
import type { PrinterColumn } from "../../api/kind.ts";
import type { KubeObject } from "../../api/types.ts";
import { since } from "../../api/printing.ts";
import type { PrinterColumnSpec } from "./types.ts";

type Step = string | number;

/** Parses a printer column path such as `.spec.containers[0].image` or `.metadata.labels['app']`. */
export function parseJsonPath(path: string): Step[] {
  let p = path.trim();
  if (p.startsWith("{") && p.endsWith("}")) p = p.slice(1, -1);
  if (p.startsWith("$")) p = p.slice(1);
  const steps: Step[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\[['"]([^'"]*)['"]\]/y;
  let at = 0;
  while (at < p.length) {
    re.lastIndex = at;
    const m = re.exec(p);
    if (!m) throw new Error(`unsupported json path ${JSON.stringify(path)} at ${JSON.stringify(p.slice(at))}`);
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push(m[3]);
    at = re.lastIndex;
  }
  return steps;
}

/** The value at a parsed path, or undefined. */
export function lookupPath(obj: unknown, steps: Step[]): unknown {
  let cur: unknown = obj;
  for (const s of steps) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (typeof s === "number") {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s];
    } else {
      if (Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return cur;
}

function cell(type: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  switch (type) {
    case "date":
      return typeof v === "string" ? since(v) : null;
    case "integer":
      return typeof v === "number" && Number.isInteger(v) ? v : null;
    case "number":
      return typeof v === "number" ? v : null;
    case "boolean":
      return typeof v === "boolean" ? v : null;
    default:
      return typeof v === "string" ? v : JSON.stringify(v);
  }
}

/** The age column upstream serves when a version lists no printer columns. */
const AGE_SPEC: PrinterColumnSpec = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

/** Table columns and the row function of one CRD version. */
export function printerColumns(specs: PrinterColumnSpec[] | undefined): { columns: PrinterColumn[]; row(obj: KubeObject): unknown[] } {
  const list = specs && specs.length > 0 ? specs : [AGE_SPEC];
  const paths = list.map((c) => {
    try {
      return parseJsonPath(c.jsonPath);
    } catch {
      return undefined;
    }
  });
  const columns: PrinterColumn[] = [
    { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0 },
    ...list.map((c) => ({
      name: c.name,
      type: (c.type === "date" ? "date" : c.type) as PrinterColumn["type"],
      ...(c.format ? { format: c.format } : {}),
      description: c.description ?? (c === AGE_SPEC ? "CreationTimestamp is a timestamp representing the server time when this object was created." : "Custom resource definition column (in JSONPath format): " + c.jsonPath),
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns,
    row: (obj) => [obj.metadata.name ?? "", ...list.map((c, i) => (paths[i] ? cell(c.type, lookupPath(obj, paths[i]!)) : null))],
  };
}
