/** The whole path from argv to a config: config files, flags, K3S_* variables, computed defaults. */
import type { AgentConfig, ServerConfig } from "../server/config.ts";
import { buildAgentConfig, buildServerConfig, hostFacts } from "./build.ts";
import type { HostFacts } from "./build.ts";
import { readConfigFiles } from "./configfile.ts";
import { usageError } from "./errors.ts";
import { AGENT_FLAGS, DEFAULT_CONFIG_FILE, SERVER_FLAGS } from "./flags.ts";
import type { FlagDef } from "./flags.ts";
import { parseFlags, reader, tokenize } from "./parse.ts";
import type { FlagReader } from "./parse.ts";

/** Inputs of loadServerConfig / loadAgentConfig besides argv. */
export interface LoadOptions {
  /** default process.env */
  env?: Record<string, string | undefined>;
  /** default: the real host */
  host?: HostFacts;
}

/** A built config and the warnings to show the user. */
export interface Loaded<T> {
  config: T;
  warnings: string[];
  /** the config file consulted (it may not exist) */
  configFile: string;
}

/** Parses a subcommand's argv with its config files; throws CliError for bad input. */
export function loadFlags(argv: string[], defs: FlagDef[], options: LoadOptions & { command: string }): { flags: FlagReader; warnings: string[]; configFile: string } {
  const env = options.env ?? process.env;
  const { occurrences, positional } = tokenize(argv, defs);
  if (positional.length) throw usageError(`k3s ${options.command} takes no arguments, got ${JSON.stringify(positional[0])}`);
  const onCli = occurrences.filter((o) => o.def.name === "config").at(-1)?.value;
  const fromEnv = env.K3S_CONFIG_FILE || undefined;
  const configFile = onCli ?? fromEnv ?? DEFAULT_CONFIG_FILE;
  const config = readConfigFiles(configFile, { explicit: onCli !== undefined || fromEnv !== undefined });
  const parsed = parseFlags(argv, defs, { env, config, command: options.command });
  return { flags: reader(parsed), warnings: parsed.warnings, configFile };
}

/** The packaged components --disable knows, as k3s names them. */
export const DISABLE_NAMES = ["coredns", "servicelb", "traefik", "local-storage", "metrics-server", "runtimes"];

/** ServerConfig from `k3s server` arguments. */
export function loadServerConfig(argv: string[], options: LoadOptions = {}): Loaded<ServerConfig> {
  const { flags, warnings, configFile } = loadFlags(argv, SERVER_FLAGS, { ...options, command: "server" });
  const config = buildServerConfig(flags, options.host ?? hostFacts());
  for (const name of config.disable) {
    if (!DISABLE_NAMES.includes(name)) warnings.push(`--disable ${name} names no packaged component (known: ${DISABLE_NAMES.join(", ")})`);
  }
  return { config, warnings, configFile };
}

/** AgentConfig from `k3s agent` arguments. */
export function loadAgentConfig(argv: string[], options: LoadOptions = {}): Loaded<AgentConfig> {
  const { flags, warnings, configFile } = loadFlags(argv, AGENT_FLAGS, { ...options, command: "agent" });
  return { config: buildAgentConfig(flags, options.host ?? hostFacts()), warnings, configFile };
}
