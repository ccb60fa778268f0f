/**
 * crictl's command line as urfave/cli v2 reads it: flags come before the
 * positional arguments (the first non-flag ends flag parsing, as Go's flag
 * package does), `--name=value` or `--name value`, bool flags take no value,
 * and single-dash short flags combine (`-qa`) because crictl turns on
 * UseShortOptionHandling for its list commands.
 */

/** The kinds of values a flag carries. */
export type FlagType = "bool" | "string" | "int" | "list" | "duration";

/** One flag a command accepts. */
export interface FlagSpec {
  name: string;
  aliases?: string[];
  type: FlagType;
  usage: string;
  /** shown in help and used when the flag is absent */
  default?: string | number | boolean;
  /** environment variables read when the flag is absent */
  env?: string[];
}

/** Flag values by their long name; lists collect every occurrence. */
export type FlagValues = Record<string, string | number | boolean | string[]>;

/** The result of parsing one command's arguments. */
export interface ParsedArgs {
  flags: FlagValues;
  /** long names of the flags given on the command line (not defaults or env) */
  set: Set<string>;
  args: string[];
}

/** A command line crictl would refuse; the message is crictl's. */
export class ArgsError extends Error {
  override name = "ArgsError";
}

function lookup(specs: FlagSpec[], name: string): FlagSpec | undefined {
  return specs.find((s) => s.name === name || s.aliases?.includes(name));
}

/** Parses a Go duration ("2s", "1m30s", "500ms"; a bare number is seconds) into milliseconds. */
export function parseDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * unit[m[2]!]!;
    end = re.lastIndex;
  }
  if (!text || end !== text.length) throw new ArgsError(`invalid duration "${text}"`);
  return total;
}

function convert(spec: FlagSpec, raw: string, shown: string): string | number {
  if (spec.type === "int") {
    if (!/^-?\d+$/.test(raw)) throw new ArgsError(`invalid value "${raw}" for flag -${shown}: parse error`);
    return Number(raw);
  }
  if (spec.type === "duration") {
    try {
      return parseDuration(raw);
    } catch {
      throw new ArgsError(`invalid value "${raw}" for flag -${shown}: parse error`);
    }
  }
  return raw;
}

function store(out: ParsedArgs, spec: FlagSpec, value: string | number | boolean): void {
  // a list given on the command line replaces its default/env value
  const prev = out.set.has(spec.name) ? out.flags[spec.name] : [];
  out.set.add(spec.name);
  if (spec.type === "list") {
    out.flags[spec.name] = [...(Array.isArray(prev) ? prev : []), String(value)];
  } else {
    out.flags[spec.name] = value;
  }
}

function defaults(specs: FlagSpec[], env: NodeJS.ProcessEnv): FlagValues {
  const flags: FlagValues = {};
  for (const s of specs) {
    const fromEnv = s.env?.map((e) => env[e]).find((v) => v !== undefined && v !== "");
    if (fromEnv !== undefined) flags[s.name] = s.type === "bool" ? fromEnv === "true" || fromEnv === "1" : s.type === "list" ? fromEnv.split(",") : convert(s, fromEnv, s.name);
    else if (s.default !== undefined) flags[s.name] = s.default;
    else flags[s.name] = s.type === "bool" ? false : s.type === "list" ? [] : s.type === "string" ? "" : 0;
  }
  return flags;
}

/** Parses argv against the flag specs; unknown flags and missing values throw ArgsError. */
export function parseArgs(argv: string[], specs: FlagSpec[], env: NodeJS.ProcessEnv = {}): ParsedArgs {
  const out: ParsedArgs = { flags: defaults(specs, env), set: new Set(), args: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    const long = a.startsWith("--");
    const body = a.slice(long ? 2 : 1);
    const eq = body.indexOf("=");
    const name = eq >= 0 ? body.slice(0, eq) : body;
    let spec = lookup(specs, name);
    if (!spec && !long && eq < 0 && name.length > 1) {
      // -qa: every letter must be a known bool flag
      const letters = [...name].map((c) => lookup(specs, c));
      if (letters.every((s) => s?.type === "bool")) {
        for (const s of letters) store(out, s!, true);
        continue;
      }
    }
    if (!spec) throw new ArgsError(`flag provided but not defined: -${name}`);
    if (spec.type === "bool") {
      const v = eq >= 0 ? body.slice(eq + 1) : "true";
      if (!["true", "false", "1", "0"].includes(v)) throw new ArgsError(`invalid boolean value "${v}" for -${name}: parse error`);
      store(out, spec, v === "true" || v === "1");
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (i + 1 < argv.length) raw = argv[++i]!;
    else throw new ArgsError(`flag needs an argument: -${name}`);
    store(out, spec, convert(spec, raw, name));
  }
  out.args = argv.slice(i);
  return out;
}

/** The string value of a flag. */
export function str(p: ParsedArgs, name: string): string {
  const v = p.flags[name];
  return typeof v === "string" ? v : v === undefined ? "" : String(v);
}

/** The boolean value of a flag. */
export function bool(p: ParsedArgs, name: string): boolean {
  return p.flags[name] === true;
}

/** The numeric value of an int or duration flag. */
export function num(p: ParsedArgs, name: string): number {
  const v = p.flags[name];
  return typeof v === "number" ? v : Number(v ?? 0);
}

/** The values of a list flag. */
export function list(p: ParsedArgs, name: string): string[] {
  const v = p.flags[name];
  return Array.isArray(v) ? v : [];
}

/** Parses `key=value` label flags as crictl does (exactly one '=' each). */
export function parseLabels(items: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const s of items) {
    const pair = s.split("=");
    if (pair.length !== 2) throw new ArgsError(`incorrectly specified label: ${s}`);
    labels[pair[0]!] = pair[1]!;
  }
  return labels;
}
