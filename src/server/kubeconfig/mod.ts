/** Kubeconfig files: the admin kubeconfig and the components' ones. */
export { renderKubeconfig, writeFileKubeconfig, writeKubeconfig } from "./kubeconfig.ts";
export type { EmbeddedKubeconfig, FileKubeconfig } from "./kubeconfig.ts";
export { ensureServerKubeconfigs, localAPIServerURL } from "./server.ts";
export type { ServerKubeconfigs } from "./server.ts";
export { loadKubeconfig } from "./load.ts";
export type { LoadedKubeconfig } from "./load.ts";
