/**
 * The /openapi/v2 document in both served forms, built from the same kinds
 * and schemas as the v3 documents (and through them), with an ETag.
 */
import { createHash } from "node:crypto";
import type { SchemaRegistry } from "../../../api/kind.ts";
import { buildOpenApiV3, type OpenApiKind } from "../build.ts";
import type { JsonObject } from "../schema.ts";
import { encodeSwaggerProtobuf } from "./encode.ts";
import { swaggerFromV3 } from "./swagger.ts";

/** The served forms of one swagger 2.0 document. */
export interface OpenApiV2Document {
  /** application/json */
  json: Buffer;
  /** application/com.github.proto-openapi.spec.v2@v1.0+protobuf (gnostic openapi_v2.Document) */
  protobuf: Buffer;
  /** quoted upper-case hex SHA-512 of the JSON form, as kube-apiserver's */
  etag: string;
}

/** Builds the swagger 2.0 document of these kinds (every group/version in one document). */
export function buildOpenApiV2(kinds: OpenApiKind[], schemas: SchemaRegistry): OpenApiV2Document {
  const v3 = buildOpenApiV3(kinds, schemas);
  const documents: JsonObject[] = [];
  for (const name of v3.names()) {
    const doc = v3.get(name);
    if (doc) documents.push(JSON.parse(doc.body.toString("utf8")) as JsonObject);
  }
  const first = documents[0]?.info;
  const version = typeof first === "object" && first !== null && !Array.isArray(first) && typeof first.version === "string" ? first.version : "v1.32.0";
  const swagger = swaggerFromV3(documents, { title: "Kubernetes", version });
  const json = Buffer.from(JSON.stringify(swagger));
  const etag = `"${createHash("sha512").update(json).digest("hex").toUpperCase()}"`;
  return { json, protobuf: encodeSwaggerProtobuf(swagger), etag };
}
