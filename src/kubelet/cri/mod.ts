/** The CRI v1 client the kubelet uses to drive containerd. */
export { CriClient, CriError, createCriClient } from "./client.ts";
export type { CallOpts } from "./client.ts";
export { CRI_PROTO } from "./proto.ts";
export type * from "./types.ts";
export { parseCriLogLine, criTimestampToRFC3339 } from "./log.ts";
export type { CriLogLine } from "./log.ts";
export { ContainerdImages, CRI_NAMESPACE } from "./images-api.ts";
export type { ImageRecord, ImageTarget } from "./images-api.ts";
