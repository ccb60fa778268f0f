/**
 * The swagger 2.0 document kube-apiserver serves at /openapi/v2, derived
 * from our OpenAPI v3 group/version documents so that both versions describe
 * the same paths, operations and definitions: paths of every group/version in
 * one document, `#/components/schemas/` → `#/definitions/`, request bodies →
 * `in: body` parameters, media-type maps → consumes/produces.
 */
import type { JsonObject, JsonValue } from "../schema.ts";

const V3_REF = "#/components/schemas/";
const V2_REF = "#/definitions/";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];
/** Schema keys swagger 2.0 lacks; kubectl's v2 parser would stumble or ignore them. */
const V3_ONLY = new Set(["nullable", "oneOf", "anyOf", "not", "allOf"]);

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One v3 schema as a v2 schema: a lone allOf[$ref] (our way to keep a field's own keys) folds into $ref. */
export function downgradeSchema(s: JsonObject): JsonObject {
  const out: JsonObject = {};
  const allOf = s.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0]) && typeof allOf[0].$ref === "string") {
    out.$ref = allOf[0].$ref.replace(V3_REF, V2_REF);
  }
  for (const [key, v] of Object.entries(s)) {
    if (v === undefined || V3_ONLY.has(key)) continue;
    if (key === "$ref" && typeof v === "string") out.$ref = v.replace(V3_REF, V2_REF);
    else if ((key === "items" || key === "additionalProperties") && isObject(v)) out[key] = downgradeSchema(v);
    else if (key === "properties" && isObject(v)) {
      const props: JsonObject = {};
      for (const [name, p] of Object.entries(v)) if (isObject(p)) props[name] = downgradeSchema(p);
      out.properties = props;
    } else out[key] = v;
  }
  // kubectl's v2 parser refuses an array without exactly one items schema
  if (out.type === "array" && !isObject(out.items)) out.items = {};
  return out;
}

/** A v3 parameter ({schema:{type}}) as a v2 non-body parameter ({type}). */
function downgradeParameter(p: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(p)) {
    if (key === "schema" && isObject(v)) {
      if (typeof v.type === "string") out.type = v.type;
      if (typeof v.format === "string") out.format = v.format;
    } else if (v !== undefined) out[key] = v;
  }
  out.type ??= "string";
  return out;
}

function firstSchema(content: JsonValue | undefined): JsonObject | undefined {
  if (!isObject(content)) return undefined;
  for (const media of Object.values(content)) if (isObject(media) && isObject(media.schema)) return downgradeSchema(media.schema);
  return undefined;
}

function downgradeOperation(op: JsonObject): JsonObject {
  const out: JsonObject = {};
  const produces = new Set<string>();
  const parameters: JsonValue[] = Array.isArray(op.parameters) ? op.parameters.filter(isObject).map(downgradeParameter) : [];
  const responses: JsonObject = {};
  for (const [code, r] of Object.entries(isObject(op.responses) ? op.responses : {})) {
    if (!isObject(r)) continue;
    const resp: JsonObject = { description: typeof r.description === "string" ? r.description : code };
    const schema = firstSchema(r.content);
    if (schema) resp.schema = schema;
    if (isObject(r.content)) for (const t of Object.keys(r.content)) produces.add(t);
    responses[code] = resp;
  }
  let consumes: string[] = [];
  const body = op.requestBody;
  if (isObject(body)) {
    consumes = isObject(body.content) ? Object.keys(body.content) : [];
    const schema = firstSchema(body.content) ?? {};
    parameters.unshift({ name: "body", in: "body", required: body.required === true, schema });
  }
  for (const [key, v] of Object.entries(op)) {
    if (v === undefined || key === "parameters" || key === "requestBody" || key === "responses") continue;
    out[key] = v;
  }
  // upstream lists "*/*" for bodies of any type; kubectl only reads the patch types
  if (consumes.length > 0) out.consumes = consumes;
  if (produces.size > 0) out.produces = [...produces];
  if (parameters.length > 0) out.parameters = parameters;
  out.responses = responses;
  out.schemes = ["https"];
  return out;
}

function downgradePathItem(item: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const m of METHODS) {
    const op = item[m];
    if (isObject(op)) out[m] = downgradeOperation(op);
  }
  if (Array.isArray(item.parameters)) out.parameters = item.parameters.filter(isObject).map(downgradeParameter);
  return out;
}

/** Merges parsed v3 group/version documents into one swagger 2.0 document. */
export function swaggerFromV3(documents: JsonObject[], info: { title: string; version: string }): JsonObject {
  const paths: JsonObject = {};
  const definitions: JsonObject = {};
  for (const doc of documents) {
    for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
      if (isObject(item)) paths[path] = downgradePathItem(item);
    }
    const components = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
    // a definition shared by several group/versions is the same in each; the first copy stands
    for (const [name, s] of Object.entries(components)) if (isObject(s) && !(name in definitions)) definitions[name] = downgradeSchema(s);
  }
  const sortedPaths: JsonObject = {};
  for (const p of Object.keys(paths).sort()) sortedPaths[p] = paths[p];
  const sortedDefinitions: JsonObject = {};
  for (const d of Object.keys(definitions).sort()) sortedDefinitions[d] = definitions[d];
  return {
    swagger: "2.0",
    info: { title: info.title, version: info.version },
    paths: sortedPaths,
    definitions: sortedDefinitions,
    securityDefinitions: { BearerToken: { description: "Bearer Token authentication", type: "apiKey", name: "authorization", in: "header" } },
    security: [{ BearerToken: [] }],
  };
}
