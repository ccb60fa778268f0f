/** OpenAPI v3 generated from the kinds' schemas, and its HTTP serving. */
export { buildOpenApiV3 } from "./build.ts";
export type { OpenApiDocument, OpenApiKind, OpenApiV3Documents } from "./build.ts";
export { serveOpenApi } from "./serve.ts";
export type { OpenApiRequest } from "./serve.ts";
export { operationGroupVersion, resourcePaths } from "./paths.ts";
export { referencedDefinitions, toOpenApiSchema } from "./schema.ts";
export type { JsonObject, JsonValue } from "./schema.ts";
export { customResourceDefinitionName, customResourceSchema, fromJSONSchemaProps } from "./crd.ts";
export type { CustomResourceSchemaInput, JSONSchemaProps } from "./crd.ts";
