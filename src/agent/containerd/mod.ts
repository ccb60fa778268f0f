/** The agent's containerd: config generation, registry mirrors, supervision. */
export { startContainerd, containerdHealthy } from "./supervise.ts";
export type { ContainerdOptions, RunningContainerd } from "./supervise.ts";
export { containerdConfigToml, expandTemplate, writeContainerdConfig } from "./config.ts";
export type { ContainerdConfigOptions, WriteConfigOptions, TemplateValues } from "./config.ts";
export { readRegistries, hostsToml, registryAuth, writeCertsDir } from "./registries.ts";
export type { Registries, RegistryAuth, RegistryTLS, RegistryMirror, RegistryConfig } from "./registries.ts";
export { containerdPaths, DEFAULT_CONTAINERD_SOCKET, DEFAULT_CONTAINERD_STATE, DEFAULT_CNI_BIN_DIR } from "./paths.ts";
export type { ContainerdPaths } from "./paths.ts";
export { startAgentRuntime } from "./runtime.ts";
export type { AgentRuntime, AgentRuntimeOptions } from "./runtime.ts";
