/**
 * A swagger 2.0 JSON document → gnostic openapi_v2.Document protobuf bytes,
 * as client-go's discovery client decodes them. Maps become ordered
 * (name, value) lists; `x-` keys become vendor_extension entries whose
 * Any.yaml holds the value's text (JSON, which is YAML, so kubectl's YAML
 * decoding sees the same value).
 */
import type { JsonObject, JsonValue } from "../schema.ts";
import { openApiV2DocumentType } from "./proto.ts";

/** A message as protobufjs's fromObject takes it. */
type Message = { [field: string]: unknown };

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function strings(v: JsonValue | undefined): string[] | undefined {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : undefined;
}

function anyOf(v: JsonValue): Message {
  return { yaml: `${JSON.stringify(v)}\n` };
}

function vendorExtensions(o: JsonObject): Message[] {
  const out: Message[] = [];
  for (const [key, v] of Object.entries(o)) if (key.startsWith("x-") && v !== undefined) out.push({ name: key, value: anyOf(v) });
  return out;
}

const SCHEMA_STRINGS: Array<[string, string]> = [
  ["$ref", "_ref"], ["format", "format"], ["title", "title"], ["description", "description"], ["pattern", "pattern"], ["discriminator", "discriminator"],
];
const SCHEMA_NUMBERS: Array<[string, string]> = [
  ["multipleOf", "multiple_of"], ["maximum", "maximum"], ["minimum", "minimum"], ["maxLength", "max_length"], ["minLength", "min_length"],
  ["maxItems", "max_items"], ["minItems", "min_items"], ["maxProperties", "max_properties"], ["minProperties", "min_properties"],
];
const SCHEMA_BOOLS: Array<[string, string]> = [
  ["exclusiveMaximum", "exclusive_maximum"], ["exclusiveMinimum", "exclusive_minimum"], ["uniqueItems", "unique_items"], ["readOnly", "read_only"],
];

function namedSchemas(o: JsonObject): Message {
  const list: Message[] = [];
  for (const [name, s] of Object.entries(o)) if (isObject(s)) list.push({ name, value: schemaMessage(s) });
  return { additional_properties: list };
}

/** One swagger schema object as an openapi.v2.Schema message. */
export function schemaMessage(s: JsonObject): Message {
  const m: Message = {};
  for (const [json, field] of SCHEMA_STRINGS) if (str(s[json]) !== undefined) m[field] = s[json];
  for (const [json, field] of SCHEMA_NUMBERS) if (typeof s[json] === "number") m[field] = s[json];
  for (const [json, field] of SCHEMA_BOOLS) if (typeof s[json] === "boolean") m[field] = s[json];
  if (s.default !== undefined) m.default = anyOf(s.default);
  if (s.example !== undefined) m.example = anyOf(s.example);
  const required = strings(s.required);
  if (required && required.length > 0) m.required = required;
  if (Array.isArray(s.enum)) m.enum = s.enum.map(anyOf);
  if (typeof s.type === "string") m.type = { value: [s.type] };
  else if (strings(s.type)) m.type = { value: strings(s.type) };
  if (isObject(s.items)) m.items = { schema: [schemaMessage(s.items)] };
  if (isObject(s.properties)) m.properties = namedSchemas(s.properties);
  if (typeof s.additionalProperties === "boolean") m.additional_properties = { boolean: s.additionalProperties };
  else if (isObject(s.additionalProperties)) m.additional_properties = { schema: schemaMessage(s.additionalProperties) };
  if (Array.isArray(s.allOf)) m.all_of = s.allOf.filter(isObject).map(schemaMessage);
  const ext = vendorExtensions(s);
  if (ext.length > 0) m.vendor_extension = ext;
  return m;
}

/** A query, path or header parameter's fields (the sub-schemas share their names). */
function nonBodyFields(p: JsonObject): Message {
  const m: Message = { name: str(p.name) ?? "", in: str(p.in) ?? "" };
  if (p.required === true) m.required = true;
  if (str(p.description)) m.description = p.description;
  if (str(p.type)) m.type = p.type;
  if (str(p.format)) m.format = p.format;
  if (p.uniqueItems === true) m.unique_items = true;
  const ext = vendorExtensions(p);
  if (ext.length > 0) m.vendor_extension = ext;
  return m;
}

function parameterItem(p: JsonObject): Message {
  if (str(p.$ref)) return { json_reference: { _ref: p.$ref } };
  if (p.in === "body") {
    const body: Message = { name: str(p.name) ?? "body", in: "body", required: p.required === true, schema: schemaMessage(isObject(p.schema) ? p.schema : {}) };
    if (str(p.description)) body.description = p.description;
    return { parameter: { body_parameter: body } };
  }
  const sub = p.in === "path" ? "path_parameter_sub_schema" : p.in === "header" ? "header_parameter_sub_schema" : "query_parameter_sub_schema";
  return { parameter: { non_body_parameter: { [sub]: nonBodyFields(p) } } };
}

function parameters(v: JsonValue | undefined): Message[] | undefined {
  return Array.isArray(v) ? v.filter(isObject).map(parameterItem) : undefined;
}

function responses(r: JsonObject): Message {
  const codes: Message[] = [];
  for (const [code, v] of Object.entries(r)) {
    if (!isObject(v) || code.startsWith("x-")) continue;
    const response: Message = { description: str(v.description) ?? "" };
    if (isObject(v.schema)) response.schema = { schema: schemaMessage(v.schema) };
    codes.push({ name: code, value: { response } });
  }
  return { response_code: codes, vendor_extension: vendorExtensions(r) };
}

function operation(op: JsonObject): Message {
  const m: Message = {};
  for (const [json, field] of [["tags", "tags"], ["produces", "produces"], ["consumes", "consumes"], ["schemes", "schemes"]]) {
    const list = strings(op[json]);
    if (list) m[field] = list;
  }
  if (str(op.summary)) m.summary = op.summary;
  if (str(op.description)) m.description = op.description;
  if (str(op.operationId)) m.operation_id = op.operationId;
  if (op.deprecated === true) m.deprecated = true;
  const params = parameters(op.parameters);
  if (params) m.parameters = params;
  if (isObject(op.responses)) m.responses = responses(op.responses);
  const ext = vendorExtensions(op);
  if (ext.length > 0) m.vendor_extension = ext;
  return m;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];

function pathItem(item: JsonObject): Message {
  const m: Message = {};
  if (str(item.$ref)) m._ref = item.$ref;
  for (const method of METHODS) {
    const op = item[method];
    if (isObject(op)) m[method] = operation(op);
  }
  const params = parameters(item.parameters);
  if (params) m.parameters = params;
  const ext = vendorExtensions(item);
  if (ext.length > 0) m.vendor_extension = ext;
  return m;
}

function security(doc: JsonObject): Message {
  const list: Message[] = [];
  for (const [name, d] of Object.entries(isObject(doc.securityDefinitions) ? doc.securityDefinitions : {})) {
    if (!isObject(d) || d.type !== "apiKey") continue;
    list.push({ name, value: { api_key_security: { type: "apiKey", name: str(d.name) ?? "", in: str(d.in) ?? "", description: str(d.description) ?? "" } } });
  }
  return { additional_properties: list };
}

function requirements(v: JsonValue | undefined): Message[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((r) => ({
    additional_properties: Object.entries(r).map(([name, scopes]) => ({ name, value: { value: strings(scopes) ?? [] } })),
  }));
}

/** The gnostic Document message of a swagger 2.0 document, as a plain object (exported for tests). */
export function documentMessage(doc: JsonObject): Message {
  const info = isObject(doc.info) ? doc.info : {};
  const paths: Message[] = [];
  for (const [name, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) if (isObject(item)) paths.push({ name, value: pathItem(item) });
  const m: Message = {
    swagger: str(doc.swagger) ?? "2.0",
    info: { title: str(info.title) ?? "", version: str(info.version) ?? "", vendor_extension: vendorExtensions(info) },
    paths: { path: paths },
    definitions: namedSchemas(isObject(doc.definitions) ? doc.definitions : {}),
    security: requirements(doc.security),
    security_definitions: security(doc),
    vendor_extension: vendorExtensions(doc),
  };
  for (const key of ["schemes", "consumes", "produces"]) if (strings(doc[key])) m[key] = strings(doc[key]);
  return m;
}

/** Encodes a swagger 2.0 document as an openapi.v2.Document protobuf. */
export function encodeSwaggerProtobuf(doc: JsonObject): Buffer {
  const type = openApiV2DocumentType();
  return Buffer.from(type.encode(type.fromObject(documentMessage(doc))).finish());
}
