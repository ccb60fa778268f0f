/**
 * Field paths and field sets as structured-merge-diff writes them into
 * managedFields (fieldsType FieldsV1): a path is a list of elements
 * `f:<field>`, `k:{"name":"web"}` (map-keyed list item, keys sorted),
 * `v:"a"` (set item) or `i:0` (list index); a set is a trie whose `.` key
 * marks a node that is itself a member.
 */
import { PatchError } from "./errors.ts";
import { isObject } from "./json.ts";

/** One encoded path element, e.g. `f:spec` or `k:{"name":"web"}`. */
export type PathElement = string;
/** A path from the object's root. */
export type FieldPath = readonly PathElement[];

const sep = "\u0000";

/** `f:` element for a field or map key. */
export function fieldElement(name: string): PathElement {
  return "f:" + name;
}

/** `k:` element for a map-keyed list item, keys sorted as upstream serialises them. */
export function keyElement(keys: Record<string, unknown>): PathElement {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(keys).sort()) sorted[k] = keys[k];
  return "k:" + JSON.stringify(sorted);
}

/** `v:` element for a set item. */
export function valueElement(value: unknown): PathElement {
  return "v:" + JSON.stringify(value);
}

/** A set of field paths (members), with the set algebra structured merge needs. */
export class FieldSet {
  private readonly members = new Set<string>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.add(p);
  }

  /** Adds one path; the empty path (the root) is never a member. */
  add(path: FieldPath): this {
    if (path.length > 0) this.members.add(path.join(sep));
    return this;
  }

  has(path: FieldPath): boolean {
    return this.members.has(path.join(sep));
  }

  get size(): number {
    return this.members.size;
  }

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  /** The member paths, sorted. */
  paths(): FieldPath[] {
    return [...this.members].sort().map((s) => s.split(sep));
  }

  union(other: FieldSet): FieldSet {
    const out = this.copy();
    for (const m of other.members) out.members.add(m);
    return out;
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    return out;
  }

  /** Drops every member equal to or below one of `prefixes`. */
  withoutPrefixes(prefixes: readonly FieldPath[]): FieldSet {
    const keys = prefixes.map((p) => p.join(sep));
    const out = new FieldSet();
    for (const m of this.members) {
      if (!keys.some((k) => m === k || m.startsWith(k + sep))) out.members.add(m);
    }
    return out;
  }

  /** Adds every `f:` ancestor of every member (upstream's EnsureNamedFieldsAreMembers). */
  withNamedAncestors(): FieldSet {
    const out = this.copy();
    for (const p of this.paths()) {
      for (let i = 1; i < p.length; i++) {
        if (p[i - 1].startsWith("f:")) out.add(p.slice(0, i));
      }
    }
    return out;
  }

  copy(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    return out;
  }
}

interface Trie {
  member: boolean;
  children: Map<string, Trie>;
}

const elementOrder: Record<string, number> = { f: 0, v: 1, k: 2, i: 3 };

function compareElements(a: string, b: string): number {
  const d = (elementOrder[a[0]] ?? 9) - (elementOrder[b[0]] ?? 9);
  if (d !== 0) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Encodes a set as a fieldsV1 object. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Trie = { member: false, children: new Map() };
  for (const path of set.paths()) {
    let node = root;
    for (const el of path) {
      let next = node.children.get(el);
      if (!next) {
        next = { member: false, children: new Map() };
        node.children.set(el, next);
      }
      node = next;
    }
    node.member = true;
  }
  const encode = (node: Trie): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (node.member && node.children.size > 0) out["."] = {};
    for (const key of [...node.children.keys()].sort(compareElements)) out[key] = encode(node.children.get(key)!);
    return out;
  };
  return encode(root);
}

/** Decodes a fieldsV1 object; a malformed one is a 400 as upstream's decoder reports it. */
export function fromFieldsV1(fields: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (node: unknown, path: PathElement[]) => {
    if (!isObject(node)) throw new PatchError(400, `invalid fieldsV1 at ${pathString(path) || "."}: not an object`);
    const keys = Object.keys(node);
    if (keys.length === 0) {
      set.add(path);
      return;
    }
    for (const key of keys) {
      if (key === ".") {
        set.add(path);
        continue;
      }
      walk(node[key], [...path, normaliseElement(key)]);
    }
  };
  walk(fields, []);
  return set;
}

/** Re-encodes an element so that equal elements compare equal (key order, JSON spacing). */
function normaliseElement(key: string): PathElement {
  const body = key.slice(2);
  try {
    switch (key.slice(0, 2)) {
      case "f:":
        return key;
      case "k:": {
        const keys: unknown = JSON.parse(body);
        if (isObject(keys)) return keyElement(keys);
        break;
      }
      case "v:":
        return valueElement(JSON.parse(body));
      case "i:":
        if (/^[0-9]+$/.test(body)) return key;
        break;
    }
  } catch {
    // reported below
  }
  throw new PatchError(400, `invalid fieldsV1 path element ${JSON.stringify(key)}`);
}

function valueString(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(valueString).join(",") + "]";
  if (isObject(v)) return "{" + Object.entries(v).map(([k, x]) => `${k}=${valueString(x)}`).join(",") + "}";
  return String(v);
}

/** A path as upstream prints it in conflict messages: `.spec.containers[name="web"].image`. */
export function pathString(path: FieldPath): string {
  let out = "";
  for (const el of path) {
    const body = el.slice(2);
    switch (el[0]) {
      case "f":
        out += "." + body;
        break;
      case "k": {
        const keys = JSON.parse(body) as Record<string, unknown>;
        out += "[" + Object.entries(keys).map(([k, v]) => `${k}=${valueString(v)}`).join(",") + "]";
        break;
      }
      case "v":
        out += "[=" + valueString(JSON.parse(body)) + "]";
        break;
      default:
        out += "[" + body + "]";
    }
  }
  return out;
}
