/** OpenAPI v2 (swagger 2.0) as JSON and as gnostic protobuf, derived from the v3 documents, and its HTTP serving. */
export { buildOpenApiV2 } from "./build.ts";
export type { OpenApiV2Document } from "./build.ts";
export { negotiateOpenApiV2, openApiV2Handler, serveOpenApiV2 } from "./serve.ts";
export { encodeSwaggerProtobuf } from "./encode.ts";
export { swaggerFromV3 } from "./swagger.ts";
