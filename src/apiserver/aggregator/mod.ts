/** API aggregation: APIService objects that hand a group/version to another server (metrics-server), in discovery and by proxy. */
export { createAggregator } from "./aggregator.ts";
export type { Aggregator, AggregatorOptions } from "./aggregator.ts";
export { proxyRequest, remoteUserHeaders } from "./proxy.ts";
export type { ProxyTarget } from "./proxy.ts";
export { mergeAggregated, mergeGroupList, discoveryVersion } from "./discovery.ts";
export type { RemoteGroupVersion } from "./discovery.ts";
export type { APIService, APIServiceSpec, APIResourceList, APIResource } from "./types.ts";
export { publishAuthenticationConfig, keepAuthenticationConfigPublished, authenticationConfigData } from "./authconfig.ts";
export type { AuthenticationConfig } from "./authconfig.ts";
export { startAutoRegistration, localAPIServices } from "./autoregister.ts";
export type { AutoRegistration, AutoRegistrationOptions } from "./autoregister.ts";
