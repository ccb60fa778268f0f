/** The client library: transports, informers, listers, work queue, events, leader election. */
export * from "./client.ts";
export { inProcessClient } from "./inprocess.ts";
export { httpsClient, clientFromKubeconfig, kubeconfigOptions, type HttpsClientOptions } from "./https.ts";
export { clientOverTransport, errorFromResponse, type Transport } from "./transport.ts";
export { resourcePath, encodeQuery, type PathOptions } from "./paths.ts";
export { R, apiVersionOf } from "./resources.ts";
export { Store, objectKey, splitKey, NAMESPACE_INDEX, type IndexFunc } from "./store.ts";
export { Informer, type EventHandlers, type InformerOptions } from "./informer.ts";
export { SharedInformerFactory } from "./factory.ts";
export { Lister } from "./lister.ts";
export { WorkQueue, ItemExponentialBackoff, type WorkQueueOptions } from "./workqueue.ts";
export { runController, type ControllerLoop, type ControllerLoopOptions } from "./runner.ts";
export { createEventRecorder, type EventRecorder, type EventRecorderOptions } from "./events.ts";
export { startLeaderElection, microTime, type LeaderElectionOptions, type LeaderElector } from "./leaderelection.ts";
export {
  selectorFromLabelSelector,
  selectorFromMap,
  parseLabelSelector,
  labelSelectorString,
  type LabelSelector,
  type LabelSelectorRequirement,
  type Selector,
} from "./selectors.ts";
export { ndjsonLines } from "./ndjson.ts";
export * from "./types.ts";
export { parseQuantity, quantityToScaled } from "./quantity.ts";
