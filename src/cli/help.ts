/** --help text in the shape k3s (urfave/cli) prints it. */
import type { FlagDef } from "./flags.ts";

/** What a help page describes. */
export interface HelpPage {
  /** e.g. "k3s server" */
  command: string;
  summary: string;
  usage: string;
  flags?: FlagDef[];
  /** subcommands: name → summary */
  commands?: [string, string][];
}

function flagLine(def: FlagDef): [string, string] {
  const placeholder = def.kind === "bool" ? "" : " value";
  const dash = (n: string): string => (n.length === 1 ? "-" : "--");
  const names = [def.name, ...(def.aliases ?? [])].map((n) => `${dash(n)}${n}${placeholder}`).join(", ");
  let text = `(${def.category}) ${def.usage}`;
  const d = def.default;
  if (d !== undefined && d !== "" && d !== false && !(Array.isArray(d) && d.length === 0) && !(def.kind === "int" && d === 0)) {
    text += ` (default: ${typeof d === "string" ? JSON.stringify(d) : String(d)})`;
  }
  if (def.env?.length) text += ` [${def.env.map((e) => `$${e}`).join(", ")}]`;
  if (def.unimplemented) text += " (not implemented in k3s-ts yet)";
  return [names, text];
}

/** Renders a help page. */
export function renderHelp(page: HelpPage): string {
  const lines = ["NAME:", `   ${page.command} - ${page.summary}`, "", "USAGE:", `   ${page.usage}`];
  if (page.commands?.length) {
    lines.push("", "COMMANDS:");
    const width = Math.max(...page.commands.map(([n]) => n.length));
    for (const [name, summary] of page.commands) lines.push(`   ${name.padEnd(width)}  ${summary}`);
  }
  const flags = (page.flags ?? []).filter((f) => !f.hidden);
  if (flags.length) {
    lines.push("", "OPTIONS:");
    const rows = flags.map(flagLine);
    const width = Math.min(48, Math.max(...rows.map(([n]) => n.length)));
    for (const [names, text] of rows) {
      lines.push(names.length > width ? `   ${names}\n   ${" ".repeat(width)}  ${text}` : `   ${names.padEnd(width)}  ${text}`);
    }
  }
  lines.push(`   ${"--help, -h".padEnd(Math.min(48, 10))}  show help`);
  return `${lines.join("\n")}\n`;
}
