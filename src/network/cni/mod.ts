/** The node's CNI configuration (bridge + host-local + portmap + loopback). */
export { writeCniConfig, removeCniConfig, cniConflist, CNI_CONFIG_FILE } from "./config.ts";
export type { CniConfigOptions } from "./config.ts";
