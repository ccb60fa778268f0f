/** crictl's --help pages in urfave/cli v2's layout. */
import type { FlagSpec } from "./args.ts";
import type { CrictlCommand } from "./context.ts";

function flagNames(f: FlagSpec): string {
  const value = f.type === "bool" ? "" : " value";
  return [f.name, ...(f.aliases ?? [])].map((n) => `${n.length === 1 ? "-" : "--"}${n}${value}`).join(", ");
}

function flagText(f: FlagSpec): string {
  let text = f.usage;
  const shown = f.type === "duration" && typeof f.default === "number" ? `${f.default / 1000}s` : typeof f.default === "string" ? `"${f.default}"` : String(f.default);
  if (f.default !== undefined && f.default !== "") text += ` (default: ${shown})`;
  else if (f.type === "bool") text += " (default: false)";
  if (f.env?.length) text += ` [${f.env.map((e) => `$${e}`).join(", ")}]`;
  return text;
}

function flagBlock(flags: FlagSpec[]): string[] {
  const rows: [string, string][] = [...flags].sort((a, b) => a.name.localeCompare(b.name)).map((f) => [flagNames(f), flagText(f)]);
  rows.push(["--help, -h", "show help"]);
  const width = Math.max(...rows.map(([n]) => n.length));
  return rows.map(([n, t]) => `   ${n.padEnd(width)}  ${t}`);
}

/** The top-level page: every subcommand and the global flags. */
export function rootHelp(commands: CrictlCommand[], globals: FlagSpec[], version: string): string {
  const rows: [string, string][] = [...commands].sort((a, b) => a.name.localeCompare(b.name)).map((c) => [[c.name, ...(c.aliases ?? [])].join(", "), c.usage]);
  rows.push(["help, h", "Shows a list of commands or help for one command"]);
  const width = Math.max(...rows.map(([n]) => n.length));
  return [
    "NAME:",
    "   crictl - client for CRI",
    "",
    "USAGE:",
    "   crictl [global options] command [command options]",
    "",
    "VERSION:",
    `   ${version}`,
    "",
    "COMMANDS:",
    ...rows.map(([n, u]) => `   ${n.padEnd(width)}  ${u}`),
    "",
    "GLOBAL OPTIONS:",
    ...flagBlock(globals),
    "",
  ].join("\n");
}

/** One subcommand's page. */
export function commandHelp(c: CrictlCommand): string {
  const names = [c.name, ...(c.aliases ?? [])].join(", ");
  return [
    "NAME:",
    `   crictl ${names} - ${c.usage}`,
    "",
    "USAGE:",
    `   crictl ${c.name} [command options]${c.argsUsage ? ` ${c.argsUsage}` : ""}`,
    "",
    "OPTIONS:",
    ...flagBlock(c.flags),
    "",
  ].join("\n");
}
