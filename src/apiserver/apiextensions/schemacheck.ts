/**
 * The structural-schema rules a CRD version's openAPIV3Schema must meet
 * (every node typed, arrays with items, properties and additionalProperties
 * exclusive, an object at the root), worded as apiextensions validation.
 */
import type { FieldError } from "../../api/kind.ts";
import { forbidden, invalid, required } from "../../api/validation.ts";
import type { CrdSpec, Schema } from "./types.ts";
import { applyDefaults } from "./structural.ts";
import { validateAgainstSchema } from "./validate.ts";

const TYPES = ["object", "array", "string", "integer", "number", "boolean"];

function checkNode(s: Schema, path: string, out: FieldError[]): void {
  const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
  if (s["x-kubernetes-int-or-string"]) {
    if (s.type) out.push(invalid(`${path}.type`, { value: s.type, detail: "must be empty if x-kubernetes-int-or-string is true" }));
  } else if (!s.type) {
    if (!preserve) out.push(required(`${path}.type`, "must not be empty for specified object fields"));
  } else if (!TYPES.includes(s.type)) {
    out.push(invalid(`${path}.type`, { value: s.type, detail: `must be one of ${TYPES.join(", ")}` }));
  }
  if (s.properties && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    out.push(forbidden(`${path}.additionalProperties`, "additionalProperties and properties are mutual exclusive"));
  }
  if (s.type === "array" && !s.items) out.push(required(`${path}.items`, "must be specified"));
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern, "u");
    } catch {
      out.push(invalid(`${path}.pattern`, { value: s.pattern, detail: "must be a valid regular expression" }));
    }
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) checkNode(v, `${path}.properties[${k}]`, out);
  if (s.items) checkNode(s.items, `${path}.items`, out);
  if (typeof s.additionalProperties === "object") checkNode(s.additionalProperties, `${path}.additionalProperties`, out);
  if (s.default !== undefined && s.default !== null) {
    // a default is checked after its own nested defaults are filled in, as upstream does
    const filled = structuredClone(s.default);
    applyDefaults(filled, s);
    for (const e of validateAgainstSchema(filled, { ...s, default: undefined })) out.push(invalid(`${path}.default`, { value: s.default, detail: e.message }));
  }
  if (s.$ref !== undefined) out.push(forbidden(`${path}.$ref`, "$ref is not supported"));
}

/** Structural-schema problems of every version of a CRD spec. */
export function structuralErrors(spec: CrdSpec): FieldError[] {
  const out: FieldError[] = [];
  (spec.versions ?? []).forEach((v, i) => {
    const root = v.schema?.openAPIV3Schema;
    if (!root) return;
    const path = `spec.versions[${i}].schema.openAPIV3Schema`;
    if (root.type !== "object") out.push(invalid(`${path}.type`, { value: root.type ?? "", detail: "must be object at the root" }));
    checkNode(root, path, out);
    const meta = root.properties?.metadata;
    if (meta && Object.keys(meta.properties ?? {}).some((k) => k !== "name" && k !== "generateName")) {
      out.push(forbidden(`${path}.properties[metadata]`, "must not specify anything other than name and generateName, but metadata is implicitly specified"));
    }
    const names = new Set<string>();
    (v.additionalPrinterColumns ?? []).forEach((c, j) => {
      const cp = `spec.versions[${i}].additionalPrinterColumns[${j}]`;
      if (!c.name) out.push(required(`${cp}.name`));
      if (names.has(c.name)) out.push({ type: "FieldValueDuplicate", field: `${cp}.name`, message: `Duplicate value: ${JSON.stringify(c.name)}` });
      names.add(c.name);
      if (!c.jsonPath) out.push(required(`${cp}.JSONPath`));
      if (!["integer", "number", "string", "boolean", "date"].includes(c.type)) {
        out.push({ type: "FieldValueNotSupported", field: `${cp}.type`, message: `Unsupported value: ${JSON.stringify(c.type)}: supported values: "boolean", "date", "integer", "number", "string"` });
      }
    });
  });
  return out;
}
