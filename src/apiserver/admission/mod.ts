/** External admission: MutatingWebhookConfiguration / ValidatingWebhookConfiguration webhooks, and Service endpoint resolution (shared with API aggregation). */
export { createWebhookAdmission } from "./webhooks.ts";
export type { WebhookAdmission, WebhookAdmissionOptions } from "./webhooks.ts";
export { resolveServiceEndpoint } from "./endpoints.ts";
export type { ServiceRef, ServiceEndpoint, ServiceResolver } from "./endpoints.ts";
export { tlsRequest, readBody, caBundlePem } from "./transport.ts";
export type { TlsRequest } from "./transport.ts";
export { ruleMatches, selectorsMatch } from "./match.ts";
export { admissionReview, denial } from "./review.ts";
export type { AdmissionReview, AdmissionResponse } from "./review.ts";
export type { Webhook, WebhookConfiguration, WebhookRule, WebhookClientConfig } from "./types.ts";
