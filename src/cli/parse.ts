/**
 * Flag parsing with k3s's precedence: command line, then config files,
 * then K3S_* variables, then defaults. A scalar set on the command line
 * overrides the config file; list values from both are kept, config first,
 * as k3s (which turns the config file into leading arguments) does.
 */
import type { ConfigEntry } from "./configfile.ts";
import { usageError } from "./errors.ts";
import { findFlag } from "./flags.ts";
import type { FlagDef } from "./flags.ts";

/** A parsed value: text for strings, a number, a boolean or a list. */
export type FlagValue = string | number | boolean | string[];

/** Where a flag's value came from. */
export type FlagSource = "cli" | "config" | "env" | "default";

/** The result of parsing one subcommand's flags. */
export interface ParsedFlags {
  /** every flag of the subcommand, by long name */
  values: Map<string, FlagValue>;
  sources: Map<string, FlagSource>;
  /** arguments that are not flags */
  positional: string[];
  /** non-fatal notes for the user: unimplemented flags, unknown config keys */
  warnings: string[];
}

/** Inputs besides the command line. */
export interface ParseOptions {
  env?: Record<string, string | undefined>;
  /** merged config file entries (from readConfigFiles) */
  config?: ConfigEntry[];
  /** name of the command for messages, e.g. "server" */
  command?: string;
}

interface Occurrence {
  def: FlagDef;
  value: string;
  origin: string;
}

/** Parses a boolean as Go's strconv.ParseBool does. */
export function parseBool(text: string, what: string): boolean {
  if (["1", "t", "T", "true", "TRUE", "True"].includes(text)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(text)) return false;
  throw usageError(`invalid boolean value ${JSON.stringify(text)} for ${what}`);
}

function parseInt10(text: string, what: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw usageError(`invalid value ${JSON.stringify(text)} for ${what}: not an integer`);
  return Number(text.trim());
}

/** Splits argv into flag occurrences and positional arguments; unknown flags exit 2. */
export function tokenize(argv: string[], defs: FlagDef[]): { occurrences: Occurrence[]; positional: string[] } {
  const occurrences: Occurrence[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    const def = findFlag(defs, name);
    const shown = arg.startsWith("--") ? `--${name}` : `-${name}`;
    if (!def) throw usageError(`flag provided but not defined: ${shown}`);
    let value = inline;
    if (def.kind === "bool") value ??= "true";
    else if (value === undefined) {
      if (i + 1 >= argv.length) throw usageError(`flag needs an argument: ${shown}`);
      value = argv[++i];
    }
    occurrences.push({ def, value, origin: shown });
  }
  return { occurrences, positional };
}

function configOccurrences(entries: ConfigEntry[], defs: FlagDef[], warnings: string[], command: string): Occurrence[] {
  const out: Occurrence[] = [];
  for (const entry of entries) {
    const def = findFlag(defs, entry.key);
    if (!def) {
      warnings.push(`unknown flag ${entry.key} in config file ${entry.origins[0] ?? ""} is not a flag of k3s ${command}; skipping it`);
      continue;
    }
    if (entry.isList && def.kind !== "list" && entry.values.length > 1) {
      throw usageError(`config file ${entry.origins[0]}: ${entry.key} takes one value, not a list`);
    }
    // k3s reads config files as YAML 1.1, where yes/no/on/off are booleans
    const yaml11 = (v: string): string => (def.kind !== "bool" ? v : /^(y|yes|on)$/i.test(v) ? "true" : /^(n|no|off)$/i.test(v) ? "false" : v === "" ? "true" : v);
    entry.values.forEach((value, i) => out.push({ def, value: yaml11(value), origin: entry.origins[i] }));
  }
  return out;
}

function convert(def: FlagDef, text: string, origin: string): FlagValue {
  const what = `flag ${origin.startsWith("-") ? origin : `${def.name} (${origin})`}`;
  if (def.kind === "bool") return parseBool(text, what);
  if (def.kind === "int") return parseInt10(text, what);
  return text;
}

function listItems(def: FlagDef, texts: string[]): string[] {
  if (!def.split) return texts;
  return texts.flatMap((t) => t.split(",")).map((t) => t.trim()).filter((t) => t !== "");
}

function envValue(def: FlagDef, env: Record<string, string | undefined>): { name: string; text: string } | undefined {
  for (const name of def.env ?? []) {
    const text = env[name];
    if (text !== undefined && text !== "") return { name, text };
  }
  return undefined;
}

/** Parses a subcommand's flags from argv, config entries and the environment. */
export function parseFlags(argv: string[], defs: FlagDef[], options: ParseOptions = {}): ParsedFlags {
  const env = options.env ?? {};
  const warnings: string[] = [];
  const { occurrences: cli, positional } = tokenize(argv, defs);
  const fromConfig = configOccurrences(options.config ?? [], defs, warnings, options.command ?? "server");
  const values = new Map<string, FlagValue>();
  const sources = new Map<string, FlagSource>();
  for (const def of defs) {
    if (values.has(def.name)) continue;
    const mine = (list: Occurrence[]): Occurrence[] => list.filter((o) => o.def === def);
    const onCli = mine(cli);
    const inConfig = mine(fromConfig);
    const fromEnv = envValue(def, env);
    let value: FlagValue | undefined;
    let source: FlagSource = "default";
    if (def.kind === "list") {
      const texts = [...inConfig, ...onCli].map((o) => o.value);
      if (texts.length) {
        value = listItems(def, texts);
        source = onCli.length ? "cli" : "config";
      } else if (fromEnv) {
        value = fromEnv.text.split(",").map((t) => t.trim()).filter(Boolean);
        source = "env";
      }
    } else {
      const last = onCli.at(-1) ?? inConfig.at(-1);
      if (last) {
        value = convert(def, last.value, last.origin);
        source = onCli.length ? "cli" : "config";
      } else if (fromEnv) {
        value = convert(def, fromEnv.text, `$${fromEnv.name}`);
        source = "env";
      }
    }
    if (value === undefined) {
      value = def.default ?? (def.kind === "list" ? [] : def.kind === "bool" ? false : def.kind === "int" ? 0 : "");
      if (Array.isArray(value)) value = [...value];
    }
    values.set(def.name, value);
    sources.set(def.name, source);
    if (def.unimplemented && source !== "default") {
      warnings.push(`flag --${def.name} is accepted but not implemented in k3s-ts yet; it has no effect`);
    }
  }
  return { values, sources, positional, warnings };
}

/** Typed accessors over ParsedFlags, so builders read values without casts scattered around. */
export interface FlagReader {
  str(name: string): string;
  /** undefined when the flag is empty */
  opt(name: string): string | undefined;
  int(name: string): number;
  bool(name: string): boolean;
  list(name: string): string[];
  isSet(name: string): boolean;
}

/** Wraps parsed flags in typed accessors; asking for an undeclared flag is a programming error. */
export function reader(parsed: ParsedFlags): FlagReader {
  const get = (name: string): FlagValue => {
    const v = parsed.values.get(name);
    if (v === undefined) throw new Error(`flag ${name} is not declared for this command`);
    return v;
  };
  return {
    str: (name) => String(get(name)),
    opt: (name) => {
      const v = String(get(name));
      return v === "" ? undefined : v;
    },
    int: (name) => Number(get(name)),
    bool: (name) => get(name) === true,
    list: (name) => {
      const v = get(name);
      return Array.isArray(v) ? v : [];
    },
    isSet: (name) => parsed.sources.get(name) !== "default",
  };
}
