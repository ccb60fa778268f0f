/** The API server: REST core (transport-free), HTTPS front end, and the hooks other components plug into. */
export { createApiServer } from "./server.ts";
export type { ApiServer, ApiServerOptions, VersionInfo, SubresourceContext, SubresourceHandler, PathHandler } from "./server.ts";
export { serveHttps, MAX_BODY_BYTES } from "./https.ts";
export type { HttpsServeOptions, UpgradeHandler, RawHandler } from "./https.ts";
export type { InFlightOptions } from "./inflight.ts";
export { KindRegistry, storageKey, storagePrefix, apiVersionOf } from "./kinds.ts";
export { HealthChecks } from "./health.ts";
export type { HealthCheck, HealthCheckOptions } from "./health.ts";
export * from "./errors.ts";
export type { ProtobufDecoder } from "./negotiation.ts";
export type { PatchFunctions, PatchInput, PatchOutput, PatchKind } from "./rest/patchtypes.ts";
export type { AdmissionAttributes, AdmissionHook } from "./rest/context.ts";
export { parseRequestInfo } from "./requestinfo.ts";
export type { RequestInfo, ResourceRequestInfo, NonResourceRequestInfo } from "./requestinfo.ts";
export { parseLabelSelector, matchLabels } from "./selectors.ts";
export type { ApiHandler, ApiRequest, ApiResponse } from "./request.ts";
