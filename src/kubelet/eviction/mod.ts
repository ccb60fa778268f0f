/** Node-pressure eviction: thresholds from the kubelet flags, the node's signals, the manager and its admit handler. */
export { parseEvictionConfig, evictionFlagsFromArgs, thresholdAmount, DEFAULT_EVICTION_HARD } from "./thresholds.ts";
export type { EvictionConfig, EvictionFlags, Threshold, ThresholdValue, Signal } from "./thresholds.ts";
export { observeSignals } from "./signals.ts";
export type { Observations, Observation, SignalSources } from "./signals.ts";
export { EvictionManager } from "./manager.ts";
export type { EvictionManagerOptions } from "./manager.ts";
export type { PressureCondition, AdmitResult } from "./admit.ts";
export { collectPodUsage } from "./podstats.ts";
export type { PodStatsContext } from "./podstats.ts";
