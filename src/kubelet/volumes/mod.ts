/** Pod volumes on the host. */
export { setupVolume, setupVolumes, teardownVolumes, podDir, TokenCache } from "./volumes.ts";
export type { VolumeContext } from "./volumes.ts";
export { writeAtomicDir } from "./atomic.ts";
export type { PayloadFile } from "./atomic.ts";
