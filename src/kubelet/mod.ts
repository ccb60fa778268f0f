/** The kubelet: node registration and lease, pod workers over CRI, logs, and the streaming URLs the API server proxies. */
export { startKubelet, NotFoundOnNodeError } from "./kubelet.ts";
export type { Kubelet, KubeletOptions, KubeletCniOptions, KubeletLogOptions, StreamTarget } from "./kubelet.ts";
export { podLogStream, containerLogFile, LogNotFoundError } from "./logs.ts";
export type { PodLogOptions } from "./logs.ts";
export { KUBELET_VERSION, nodeStatus, nodeLabels, machineResources } from "./node.ts";
export { createCriClient, CriClient, CriError } from "./cri/mod.ts";
export { registerLocalKubelet, localKubelet } from "./local.ts";
export { startKubeletServer, streamUrlFor } from "./server.ts";
export type { KubeletServer, KubeletServerOptions } from "./server.ts";
export { podLogSubresource, podStreamUpgrade, isPodStreamPath, pickContainer } from "./streaming/apiserver.ts";
export type { KubeletAccessOptions, PodStreamOptions } from "./streaming/apiserver.ts";
export { proxyToCri, forwardUpgrade, classifyUpgrade, refuseUpgrade } from "./streaming/proxy.ts";
export type { UpgradeTarget, UpgradeKind, UpgradeRequest } from "./streaming/proxy.ts";
export { statsSummary, resourceMetrics } from "./stats.ts";
export { collectImages } from "./imagegc.ts";
export type { ImageGCOptions, ImageGCResult } from "./imagegc.ts";
export { rotateContainerLogs } from "./logrotate.ts";
export type { LogRotateOptions } from "./logrotate.ts";
