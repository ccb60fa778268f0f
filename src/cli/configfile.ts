/**
 * k3s config files: /etc/rancher/k3s/config.yaml then config.yaml.d/*.yaml
 * in name order. Keys are flag names; a later file replaces a key, a key
 * ending in `+` appends to the list gathered so far.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Node as YamlNode } from "yaml";
import { CliError } from "./errors.ts";

/** One key after all files are merged: its values and where each came from. */
export interface ConfigEntry {
  /** the flag name, without a trailing `+` */
  key: string;
  values: string[];
  /** "file:line" of the entry that gave each value */
  origins: string[];
  /** true when the YAML value was a list (a scalar flag given a list is an error later) */
  isList: boolean;
}

/** Options of `readConfigFiles`. */
export interface ReadConfigOptions {
  /** the path was given explicitly (--config, K3S_CONFIG_FILE): a missing file is an error */
  explicit: boolean;
}

/** The drop-in files `<path>.d/*.yaml|*.yml`, sorted by name. */
export function dropInFiles(path: string): string[] {
  const dir = `${path}.d`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .map((f) => `${dir}/${f}`);
}

function scalarText(node: YamlNode | null, where: string, key: string): string {
  if (node === null) return "";
  if (!isScalar(node)) throw new CliError(`config file ${where}: value of ${key} must be a scalar or a list of scalars`, 1);
  const v = node.value;
  if (v === null || v === undefined) return "";
  // flags are text: keep plain scalars as written, so 0644, 0o644, 1.10 or a token 0123 are not reinterpreted as numbers
  return node.type === "PLAIN" && typeof node.source === "string" ? node.source : String(v);
}

interface RawEntry {
  key: string;
  append: boolean;
  values: string[];
  origins: string[];
  isList: boolean;
}

function parseOne(file: string): RawEntry[] {
  const text = readFileSync(file, "utf8");
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const line = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  if (doc.errors.length) {
    const err = doc.errors[0];
    // errors found at end of input (an unclosed bracket) point past the text: name the last written line
    const lastLine = text.trimEnd().split("\n").length;
    const at = Math.min(err.linePos?.[0].line ?? line(err.pos[0]), lastLine);
    const reason = err.message.split("\n")[0].replace(/ at line \d+, column \d+.*$/, "");
    throw new CliError(`config file ${file}:${at}: ${reason}`, 1);
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) return [];
  if (!isMap(root)) throw new CliError(`config file ${file}:${line(root.range?.[0])}: expected a mapping of flag names to values`, 1);
  const out: RawEntry[] = [];
  for (const pair of root.items) {
    const keyNode = pair.key as YamlNode | null;
    const rawKey = isScalar(keyNode) ? String(keyNode.value) : "";
    const where = `${file}:${line(keyNode?.range?.[0])}`;
    if (!rawKey) throw new CliError(`config file ${where}: keys must be flag names`, 1);
    const value = pair.value as YamlNode | null;
    const append = rawKey.endsWith("+");
    const key = append ? rawKey.slice(0, -1) : rawKey;
    if (isSeq(value)) {
      const values = value.items.map((item) => scalarText(item as YamlNode | null, where, key));
      out.push({ key, append, values, origins: values.map(() => where), isList: true });
    } else {
      out.push({ key, append, values: [scalarText(value, where, key)], origins: [where], isList: false });
    }
  }
  return out;
}

/** Reads and merges the config file and its drop-ins; throws CliError (exit 1) naming file and line on bad YAML. */
export function readConfigFiles(path: string, options: ReadConfigOptions): ConfigEntry[] {
  const dropIns = dropInFiles(path);
  const files: string[] = [];
  if (existsSync(path)) files.push(path);
  else if (options.explicit && dropIns.length === 0) throw new CliError(`config file ${path} does not exist`, 1);
  files.push(...dropIns);
  const merged = new Map<string, ConfigEntry>();
  for (const file of files) {
    for (const entry of parseOne(file)) {
      const previous = merged.get(entry.key);
      if (previous && entry.append) {
        previous.values.push(...entry.values);
        previous.origins.push(...entry.origins);
        previous.isList = true;
      } else {
        merged.set(entry.key, { key: entry.key, values: entry.values, origins: entry.origins, isList: entry.isList || entry.append });
      }
    }
  }
  return [...merged.values()];
}
