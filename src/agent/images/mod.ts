/** Images built locally (pause, busybox) and airgap import into containerd. */
export { buildSystemImages, systemImagesArchive, busyboxLayer, PAUSE_IMAGE, BUSYBOX_IMAGE, SYSTEM_IMAGES_FILE } from "./system.ts";
export type { SystemImageOptions } from "./system.ts";
export { importImages, listImages } from "./import.ts";
export type { ImportOptions, ImportResult } from "./import.ts";
export { ociArchive, ociImageBlobs } from "./oci.ts";
export type { OciImageSpec, ImageConfig, OciImageBlobs } from "./oci.ts";
export { writeTar } from "./tar.ts";
export type { TarEntry } from "./tar.ts";
