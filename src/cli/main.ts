/**
 * The k3s program: dispatches to the subcommand k3s has under the same
 * name. Bundled by esbuild into dist/k3s.mjs; `bin/k3s` runs it.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCertificate } from "./commands/certificate.ts";
import { checkConfigReport, runChecks } from "./commands/check-config.ts";
import { runKubectl } from "./commands/kubectl.ts";
import { runCrictl, runCtr } from "./commands/runtime.ts";
import { runToken } from "./commands/token.ts";
import { CliError, usageError } from "./errors.ts";
import { AGENT_FLAGS, SERVER_FLAGS } from "./flags.ts";
import { renderHelp } from "./help.ts";
import { loadAgentConfig, loadServerConfig } from "./load.ts";
import { versionText } from "./version.ts";

const COMMANDS: [string, string][] = [
  ["server", "Run management server"],
  ["agent", "Run node agent"],
  ["kubectl", "Run kubectl"],
  ["crictl", "Run crictl"],
  ["ctr", "Run ctr"],
  ["check-config", "Run config check"],
  ["token", "Manage tokens"],
  ["etcd-snapshot", "Manage etcd snapshots (not implemented in k3s-ts yet)"],
  ["secrets-encrypt", "Control secrets encryption and keys rotation (not implemented in k3s-ts yet)"],
  ["certificate", "Manage K3s certificates"],
  ["completion", "Install shell completion script (not implemented in k3s-ts yet)"],
  ["help", "Shows a list of commands or help for one command"],
];

/** Injected for tests: where output goes and which environment is read. */
export interface MainOptions {
  env?: NodeJS.ProcessEnv;
}

function rootHelp(): string {
  return renderHelp({
    command: "k3s",
    summary: "Kubernetes, but small and simple (k3s-ts: k3s in TypeScript on Node.js)",
    usage: "k3s [global options] command [command options] [arguments...]",
    commands: COMMANDS,
  }).replace("   --help, -h", "   --debug              (logging) Turn on debug logs [$K3S_DEBUG]\n   --version, -v        print the version\n   --help, -h");
}

const started = Date.now();

/** A log line in k3s's console shape, `WARN[0000] message`. */
function logLine(level: "WARN" | "FATA", msg: string): string {
  return `${level}[${String(Math.floor((Date.now() - started) / 1000)).padStart(4, "0")}] ${msg}\n`;
}

function printWarnings(warnings: string[]): void {
  for (const w of warnings) process.stderr.write(logLine("WARN", w));
}

function helpFor(command: string): string | undefined {
  if (command === "server") return renderHelp({ command: "k3s server", summary: "Run management server", usage: "k3s server [OPTIONS]", flags: SERVER_FLAGS });
  if (command === "agent") return renderHelp({ command: "k3s agent", summary: "Run node agent", usage: "k3s agent [OPTIONS]", flags: AGENT_FLAGS });
  if (command === "check-config") return renderHelp({ command: "k3s check-config", summary: "Run config check", usage: "k3s check-config" });
  return undefined;
}

async function dispatch(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // global --debug may precede the command, as in `k3s --debug server`
  let args = argv;
  const globalEnv = { ...env };
  while (args[0] === "--debug") {
    globalEnv.K3S_DEBUG = "true";
    args = args.slice(1);
  }
  const [command, ...rest] = args;
  if (command === undefined || command === "--help" || command === "-h") {
    process.stdout.write(rootHelp());
    return 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    process.stdout.write(versionText());
    return 0;
  }
  if (command === "help") {
    const page = rest[0] ? helpFor(rest[0]) : rootHelp();
    if (!page) throw usageError(`no help topic for ${JSON.stringify(rest[0])}`);
    process.stdout.write(page);
    return 0;
  }
  // kubectl, ctr and crictl own their flags, --help included
  if (command === "kubectl") return runKubectl(rest, globalEnv);
  if (command === "ctr") return runCtr(rest, globalEnv);
  if (command === "crictl") return runCrictl(rest, globalEnv);
  if (command === "token") return runToken(rest, globalEnv);
  if (command === "certificate") return runCertificate(rest, globalEnv);
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  if (wantsHelp && helpFor(command)) {
    process.stdout.write(helpFor(command)!);
    return 0;
  }
  switch (command) {
    case "server": {
      const { config, warnings } = loadServerConfig(rest, { env: globalEnv });
      printWarnings(warnings);
      // loaded on demand: kubectl, token and friends must not pay for (or break on) the whole control plane
      const { runServer } = await import("../server/mod.ts");
      await runServer(config);
      return 0;
    }
    case "agent": {
      const { config, warnings } = loadAgentConfig(rest, { env: globalEnv });
      printWarnings(warnings);
      const { runAgent } = await import("../agent/mod.ts");
      await runAgent(config);
      return 0;
    }
    case "check-config": {
      if (rest.length) throw usageError(`k3s check-config takes no arguments, got ${JSON.stringify(rest[0])}`);
      const { text, exitCode } = checkConfigReport(runChecks());
      process.stdout.write(text);
      return exitCode;
    }
    case "etcd-snapshot":
    case "secrets-encrypt":
    case "completion":
      throw new CliError(`k3s ${command} is not implemented in k3s-ts yet`, 1);
    default:
      if (command.startsWith("-")) throw usageError(`flag provided but not defined: ${command}`);
      throw usageError(`unknown command ${JSON.stringify(command)}; run k3s --help for the list`);
  }
}

/** Runs the k3s program with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  try {
    return await dispatch(argv, options.env ?? process.env);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(err.exitCode === 2 ? `Incorrect Usage: ${err.message}\n` : logLine("FATA", err.message));
      return err.exitCode;
    }
    process.stderr.write(logLine("FATA", err instanceof Error ? err.message : String(err)));
    if (options.env?.K3S_DEBUG || process.env.K3S_DEBUG) process.stderr.write(`${(err as Error).stack ?? ""}\n`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // exit explicitly: a failed start-up may leave handles (listeners, database) open
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
