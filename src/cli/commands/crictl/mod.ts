/**
 * A built-in crictl for machines without cri-tools (Debian 12 does not
 * package it): crictl's subcommands, flags and output over the kubelet's own
 * CRI v1 client. `k3s crictl` uses it when no crictl binary is on PATH.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { createCriClient } from "../../../kubelet/cri/mod.ts";
import { ArgsError, bool, num, parseArgs, str, type FlagSpec } from "./args.ts";
import { CONTAINER_COMMANDS } from "./containers.ts";
import { errorText, ExitError, ShowHelp, type CrictlCommand, type CrictlContext, type CrictlIo } from "./context.ts";
import { EXEC_COMMANDS } from "./exec.ts";
import { commandHelp, rootHelp } from "./help.ts";
import { IMAGE_COMMANDS } from "./images.ts";
import { LIFECYCLE_COMMANDS } from "./lifecycle.ts";
import { LOGS_COMMAND } from "./logs.ts";
import { POD_COMMANDS } from "./pods.ts";
import { PORT_FORWARD_COMMAND } from "./portforward.ts";
import { VerboseCri } from "./rpc.ts";
import { RUNTIME_COMMANDS } from "./runtime-info.ts";
import { STATS_COMMANDS } from "./stats.ts";

export type { CrictlIo } from "./context.ts";

/** k3s's containerd socket, crictl's default here. */
export const DEFAULT_ENDPOINT = "unix:///run/k3s/containerd/containerd.sock";
const VERSION = "v1.32.0-k3s-ts (built in)";

/** Every subcommand. */
export const COMMANDS: CrictlCommand[] = [...RUNTIME_COMMANDS, ...CONTAINER_COMMANDS, ...POD_COMMANDS, ...IMAGE_COMMANDS, ...LIFECYCLE_COMMANDS, LOGS_COMMAND, ...EXEC_COMMANDS, PORT_FORWARD_COMMAND, ...STATS_COMMANDS];

const GLOBAL_FLAGS: FlagSpec[] = [
  { name: "config", aliases: ["c"], type: "string", env: ["CRI_CONFIG_FILE"], default: "/etc/crictl.yaml", usage: "Location of the client config file" },
  { name: "runtime-endpoint", aliases: ["r"], type: "string", env: ["CONTAINER_RUNTIME_ENDPOINT"], usage: `Endpoint of CRI container runtime service (default: "${DEFAULT_ENDPOINT}")` },
  { name: "image-endpoint", aliases: ["i"], type: "string", env: ["IMAGE_SERVICE_ENDPOINT"], usage: "Endpoint of CRI image manager service (default: uses 'runtime-endpoint' setting)" },
  { name: "timeout", aliases: ["t"], type: "duration", default: 2000, usage: "Timeout of connecting to the server in seconds (e.g. 2s, 20s.). 0 or less is set to default" },
  { name: "debug", aliases: ["D"], type: "bool", usage: "Enable debug mode" },
  { name: "version", aliases: ["v"], type: "bool", usage: "print the version" },
];

/** Process stdio as crictl's output. */
export function processIo(): CrictlIo {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    stdin: process.stdin,
    termSize: () => (process.stdout.isTTY ? { width: process.stdout.columns, height: process.stdout.rows } : undefined),
  };
}

/** An error line as crictl's logrus prints it: short on a terminal, key=value otherwise. */
function errorLine(message: string): string {
  if (process.stderr.isTTY) return `ERRO[0000] ${message}\n`;
  return `time="${new Date().toISOString().replace(/\.\d+Z$/, "Z")}" level=error msg=${JSON.stringify(message)}\n`;
}

function findCommand(name: string): CrictlCommand | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

/** Endpoints and timeout: flags and env first, then crictl's config file, then k3s's socket. */
function endpoints(flags: ReturnType<typeof parseArgs>): { runtime: string; image: string; timeoutMs: number } {
  const configPath = str(flags, "config");
  let file: Record<string, unknown> = {};
  if (configPath && existsSync(configPath)) file = (parseYaml(readFileSync(configPath, "utf8")) as Record<string, unknown> | null) ?? {};
  const runtime = str(flags, "runtime-endpoint") || String(file["runtime-endpoint"] ?? "") || DEFAULT_ENDPOINT;
  const image = str(flags, "image-endpoint") || String(file["image-endpoint"] ?? "") || runtime;
  const fileTimeout = Number(file.timeout ?? 0) * 1000;
  const timeoutMs = flags.set.has("timeout") || !fileTimeout ? num(flags, "timeout") : fileTimeout;
  return { runtime, image, timeoutMs: timeoutMs > 0 ? timeoutMs : 2000 };
}

async function connect(runtime: string, image: string, timeoutMs: number, io: CrictlIo, signal: AbortSignal): Promise<CrictlContext> {
  const rt = createCriClient(runtime);
  const img = image === runtime ? rt : createCriClient(image);
  const ctx: CrictlContext = { runtime: rt, images: img, runtimeVerbose: new VerboseCri(rt), imagesVerbose: img === rt ? new VerboseCri(rt) : new VerboseCri(img), timeoutMs, io, signal };
  for (const [endpoint, v] of [[runtime, ctx.runtimeVerbose], [image, ctx.imagesVerbose]] as const) {
    await v.waitReady(timeoutMs).catch((e: Error) => {
      rt.close();
      img.close();
      const path = endpoint.replace(/^unix:\/\//, "");
      const why = existsSync(path) ? e.message : `dial unix ${path}: connect: no such file or directory`;
      throw new Error(`validate service connection: validate CRI v1 runtime API for endpoint "${endpoint}": rpc error: code = Unavailable desc = connection error: ${why}`);
    });
  }
  return ctx;
}

async function runCommand(cmd: CrictlCommand, argv: string[], globals: ReturnType<typeof parseArgs>, io: CrictlIo, env: NodeJS.ProcessEnv): Promise<number> {
  const p = parseArgs(argv, [...cmd.flags, { name: "help", aliases: ["h"], type: "bool", usage: "show help" }], env);
  if (bool(p, "help")) {
    io.out(commandHelp(cmd));
    return 0;
  }
  const { runtime, image, timeoutMs } = endpoints(globals);
  // a first Ctrl-C stops a command that runs until interrupted; a second one kills the process as usual
  const abort = new AbortController();
  const onInterrupt = (): void => {
    process.off("SIGINT", onInterrupt);
    abort.abort();
  };
  if (cmd.interruptible) process.on("SIGINT", onInterrupt);
  const ctx = await connect(runtime, image, timeoutMs, io, abort.signal);
  try {
    return await cmd.run(ctx, p);
  } catch (e) {
    if (e instanceof ShowHelp) {
      io.out(commandHelp(cmd));
      return 0;
    }
    throw e;
  } finally {
    process.off("SIGINT", onInterrupt);
    ctx.runtime.close();
    ctx.images.close();
  }
}

/** Runs crictl with argv (after `crictl`); resolves to the exit code. */
export async function runBuiltinCrictl(argv: string[], env: NodeJS.ProcessEnv = process.env, io: CrictlIo = processIo()): Promise<number> {
  try {
    const globals = parseArgs(argv, [...GLOBAL_FLAGS, { name: "help", aliases: ["h"], type: "bool", usage: "show help" }], env);
    const [name, ...rest] = globals.args;
    if (bool(globals, "version")) {
      io.out(`crictl version ${VERSION}\n`);
      return 0;
    }
    if (bool(globals, "help") || name === undefined || ((name === "help" || name === "h") && !rest.length)) {
      io.out(rootHelp(COMMANDS, GLOBAL_FLAGS, VERSION));
      return 0;
    }
    if (name === "help" || name === "h") {
      const topic = findCommand(rest[0]!);
      if (!topic) throw new Error(`No help topic for '${rest[0]}'`);
      io.out(commandHelp(topic));
      return 0;
    }
    const cmd = findCommand(name);
    if (!cmd) throw new Error(`No help topic for '${name}'`);
    return await runCommand(cmd, rest, globals, io, env);
  } catch (e) {
    if (e instanceof ExitError) {
      if (e.message) io.err(errorLine(e.message));
      return e.exitCode;
    }
    if (e instanceof ArgsError) io.err(`Incorrect Usage: ${e.message}\n\n`);
    io.err(errorLine(errorText(e)));
    return 1;
  }
}
