/** Pod volumes on the host. */
export { setupVolume, setupVolumes, teardownVolumes, podDir, TokenCache } from "./volumes.ts";
export type { VolumeContext } from "./volumes.ts";
export { writeAtomicDir } from "./atomic.ts";
export type { PayloadFile } from "./atomic.ts";
export { prepareSubPaths } from "./subpath.ts";
export type { SubPathContext } from "./subpath.ts";
export { diskUsage } from "./usage.ts";
