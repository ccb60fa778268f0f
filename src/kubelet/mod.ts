/** The kubelet: node registration and lease, pod workers over CRI, logs, and the streaming URLs the API server proxies. */
export { startKubelet, NotFoundOnNodeError } from "./kubelet.ts";
export type { Kubelet, KubeletOptions, KubeletCniOptions, KubeletLogOptions, StreamTarget } from "./kubelet.ts";
export { podLogStream, containerLogFile, LogNotFoundError } from "./logs.ts";
export type { PodLogOptions } from "./logs.ts";
export { KUBELET_VERSION, nodeStatus, nodeLabels, machineResources } from "./node.ts";
export { createCriClient, CriClient, CriError } from "./cri/mod.ts";
export { registerLocalKubelet, localKubelet } from "./local.ts";
