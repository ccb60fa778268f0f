/**
 * containerd's config.toml (version 2) for the agent, with the CRI settings
 * this kind of machine needs (see the notes in the tests for why each one).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { RegistryAuth } from "./registries.ts";

/** What goes into the generated config. */
export interface ContainerdConfigOptions {
  root: string;
  state: string;
  socket: string;
  pauseImage: string;
  /** CRI streaming server port on 127.0.0.1 */
  streamPort: number;
  certsDir: string;
  cniBinDir: string;
  cniConfDir: string;
  /** runc's state root; defaults to <state>/runc */
  runcRoot?: string;
  snapshotter?: string;
  /** per-registry credentials (containerd 1.6 reads auth only from config.toml) */
  registryAuth?: Record<string, RegistryAuth>;
  debug?: boolean;
}

function q(s: string): string {
  return JSON.stringify(s);
}

/** The base config.toml text (what `{{ template "base" . }}` expands to in a template). */
export function containerdConfigToml(opts: ContainerdConfigOptions): string {
  const cri = `plugins."io.containerd.grpc.v1.cri"`;
  const lines = [
    "version = 2",
    `root = ${q(opts.root)}`,
    `state = ${q(opts.state)}`,
    "",
    "[grpc]",
    `  address = ${q(opts.socket)}`,
    "",
    "[debug]",
    `  level = ${q(opts.debug ? "debug" : "info")}`,
    "",
    `[plugins."io.containerd.internal.v1.opt"]`,
    `  path = ${q(opts.root + "/opt")}`,
    "",
    // Pitfall 1 in the facts: the VM lacks CAP_SYS_RESOURCE, so -998 for the pause container is refused.
    `[${cri}]`,
    `  sandbox_image = ${q(opts.pauseImage)}`,
    `  stream_server_address = "127.0.0.1"`,
    `  stream_server_port = ${q(String(opts.streamPort))}`,
    "  netns_mounts_under_state_dir = true",
    "  disable_apparmor = true",
    "  restrict_oom_score_adj = true",
    "  enable_selinux = false",
    "  enable_unprivileged_ports = true",
    "  enable_unprivileged_icmp = true",
    "",
    `[${cri}.containerd]`,
    `  snapshotter = ${q(opts.snapshotter ?? "overlayfs")}`,
    `  default_runtime_name = "runc"`,
    "  disable_snapshot_annotations = true",
    "",
    `[${cri}.containerd.runtimes.runc]`,
    `  runtime_type = "io.containerd.runc.v2"`,
    "",
    // No systemd as PID 1 here: cgroupfs only.
    `[${cri}.containerd.runtimes.runc.options]`,
    "  SystemdCgroup = false",
    `  Root = ${q(opts.runcRoot ?? opts.state + "/runc")}`,
    "",
    `[${cri}.cni]`,
    `  bin_dir = ${q(opts.cniBinDir)}`,
    `  conf_dir = ${q(opts.cniConfDir)}`,
    "  max_conf_num = 1",
    "",
    `[${cri}.registry]`,
    `  config_path = ${q(opts.certsDir)}`,
  ];
  for (const [host, auth] of Object.entries(opts.registryAuth ?? {}).sort()) {
    lines.push("", `[${cri}.registry.configs.${q(host)}.auth]`);
    if (auth.username !== undefined) lines.push(`  username = ${q(auth.username)}`);
    if (auth.password !== undefined) lines.push(`  password = ${q(auth.password)}`);
    if (auth.auth !== undefined) lines.push(`  auth = ${q(auth.auth)}`);
    if (auth.identity_token !== undefined) lines.push(`  identitytoken = ${q(auth.identity_token)}`);
  }
  return lines.join("\n") + "\n";
}

/** Options for writing config.toml, honouring a config.toml.tmpl beside it. */
export interface WriteConfigOptions {
  configFile: string;
  templateFile: string;
}

/**
 * Expands a user template. Go templates cannot run here, so only the forms
 * k3s users write most are understood: `{{ template "base" . }}` and a few
 * `{{ .NodeConfig... }}` values; anything else is left as written.
 */
/** What a template expands against. */
export interface TemplateValues {
  config: ContainerdConfigOptions;
  /** the generated base config */
  base: string;
}

/** Expands a user template against the generated config (see the comment above). */
export function expandTemplate(template: string, input: TemplateValues): string {
  const { config, base } = input;
  const values: Record<string, string> = {
    ".NodeConfig.AgentConfig.PauseImage": config.pauseImage,
    ".NodeConfig.Containerd.Root": config.root,
    ".NodeConfig.Containerd.State": config.state,
    ".NodeConfig.Containerd.Address": config.socket,
    ".NodeConfig.AgentConfig.CNIBinDir": config.cniBinDir,
    ".NodeConfig.AgentConfig.CNIConfDir": config.cniConfDir,
    ".NodeConfig.Containerd.Registry": config.certsDir,
    ".NodeConfig.AgentConfig.Snapshotter": config.snapshotter ?? "overlayfs",
  };
  return template.replace(/\{\{-?\s*([^}]*?)\s*-?\}\}/g, (whole, expr: string) => {
    if (/^template\s+"base"\s+\.$/.test(expr)) return base;
    return values[expr] ?? whole;
  });
}

/** Writes config.toml from the template if one exists, else the base config; returns the text. */
export function writeContainerdConfig(config: ContainerdConfigOptions, files: WriteConfigOptions): string {
  const base = containerdConfigToml(config);
  const text = existsSync(files.templateFile)
    ? expandTemplate(readFileSync(files.templateFile, "utf8"), { config, base })
    : base;
  mkdirSync(dirname(files.configFile), { recursive: true });
  writeFileSync(files.configFile, text, { mode: 0o600 });
  return text;
}
