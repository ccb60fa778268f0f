/** The k3s command line: flags, config files and subcommands (the program entry is main.ts). */
export { main } from "./main.ts";
export type { MainOptions } from "./main.ts";
export { DISABLE_NAMES, loadAgentConfig, loadFlags, loadServerConfig } from "./load.ts";
export type { Loaded, LoadOptions } from "./load.ts";
export { buildAgentConfig, buildServerConfig, defaultClusterDNS, defaultDataDir, DEFAULT_PAUSE_IMAGE, hostFacts, parseMode, parsePortRange, primaryIPv4 } from "./build.ts";
export type { HostFacts } from "./build.ts";
export { readConfigFiles, dropInFiles } from "./configfile.ts";
export type { ConfigEntry, ReadConfigOptions } from "./configfile.ts";
export { AGENT_FLAGS, DEFAULT_CONFIG_FILE, DEFAULT_KUBECONFIG, SERVER_FLAGS, findFlag } from "./flags.ts";
export type { FlagDef, FlagKind } from "./flags.ts";
export { parseFlags, reader } from "./parse.ts";
export type { FlagReader, FlagSource, FlagValue, ParsedFlags, ParseOptions } from "./parse.ts";
export { CliError, usageError } from "./errors.ts";
export { K3S_VERSION, KUBERNETES_VERSION, gitCommit, versionText } from "./version.ts";
export { CONTAINERD_SOCKET } from "./commands/runtime.ts";
export { CERTIFICATE_SERVICES, checkCertificates, rotateCertificates } from "./commands/certificate.ts";
export type { CertificateStatus } from "./commands/certificate.ts";
