/**
 * The structured-merge-diff operations on JSON values under a schema: the
 * field set a value sets, the comparison of two values, the merge of an
 * applied configuration into a live object, and the removal of paths.
 */
import type { FieldSchema } from "../../api/kind.ts";
import { FieldSet, fieldElement, keyElement, pathString, valueElement } from "./fieldpath.ts";
import type { FieldPath, PathElement } from "./fieldpath.ts";
import { clone, deepEqual, isObject } from "./json.ts";
import type { JsonObject } from "./json.ts";
import type { Schemas, Shape } from "./schema.ts";

type ListShape = Extract<Shape, { kind: "list" }>;

/** A value that does not fit its schema's list rules (missing keys, duplicates). */
export class TypedValueError extends Error {
  constructor(
    readonly path: FieldPath,
    message: string,
  ) {
    super(`${pathString(path) || "."}: ${message}`);
  }
}

/** The path element of a list item of a set or map-keyed list. */
function itemElement(item: unknown, shape: ListShape, schemas: Schemas, path: FieldPath): PathElement {
  if (shape.relation === "map") {
    if (!isObject(item)) throw new TypedValueError(path, "associative list with keys may not have non-map elements");
    const keys: Record<string, unknown> = {};
    for (const k of shape.keys) {
      if (item[k] !== undefined && item[k] !== null) keys[k] = item[k];
      else {
        const keySchema = schemas.child(shape.item, k);
        const def = keySchema?.default ?? protocolDefault(k, keySchema);
        if (def !== undefined) keys[k] = def;
      }
    }
    if (Object.keys(keys).length === 0) {
      throw new TypedValueError(
        path,
        `associative list with keys has an element that omits all key fields ${JSON.stringify(shape.keys)} (and doesn't have default values for any key fields)`,
      );
    }
    return keyElement(keys);
  }
  if (isObject(item)) throw new TypedValueError(path, "associative list without keys has an element that's a map type");
  if (Array.isArray(item)) throw new TypedValueError(path, "not supported: associative list with lists as elements");
  return valueElement(item);
}

/**
 * Upstream's OpenAPI defaults every `protocol` list key to "TCP"; schemas
 * without that default would key an applied port apart from its defaulted
 * live twin and duplicate it.
 */
function protocolDefault(key: string, keySchema: FieldSchema | undefined): unknown {
  if (key !== "protocol" || keySchema?.type !== "string") return undefined;
  return !keySchema.enum || keySchema.enum.includes("TCP") ? "TCP" : undefined;
}

function isEmptyContainer(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/** Whether a value under a shape is a leaf (scalar, atomic, or kinds that do not match). */
function isLeaf(shape: Shape): boolean {
  return shape.kind === "scalar" || (shape.kind === "list" && shape.relation === "atomic") || (shape.kind === "object" && shape.atomic);
}

/** The set of fields a value sets (upstream's ToFieldSet). */
function toFieldSet(value: unknown, schema: FieldSchema | undefined, schemas: Schemas, allowDuplicates: boolean): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, fs: FieldSchema | undefined, path: PathElement[]) => {
    const shape = schemas.shape(fs, v);
    if (isLeaf(shape)) {
      set.add(path);
      return;
    }
    if (shape.kind === "list") {
      for (const [pe, items] of groupItems(v as unknown[], shape, schemas, path)) {
        if (items.length > 1) {
          if (!allowDuplicates) throw new TypedValueError(path, `duplicate entries for key ${pathString([pe])}`);
          // duplicated entries are owned as one opaque item
        } else walk(items[0], shape.item, [...path, pe]);
        set.add([...path, pe]);
      }
      return;
    }
    if (shape.kind === "object") {
      for (const [k, child] of Object.entries(v as JsonObject)) {
        const childPath = [...path, fieldElement(k)];
        walk(child, schemas.child(shape.schema, k), childPath);
        if (child === null || (isObject(child) && Object.keys(child).length === 0) || !schemas.declared(shape.schema, k)) {
          set.add(childPath);
        }
      }
    }
  };
  walk(value, schema, []);
  return set;
}

/** What changed between two values (upstream's Compare). */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** Compares `lhs` (before) with `rhs` (after). */
function compare(lhs: unknown, rhs: unknown, schema: FieldSchema | undefined, schemas: Schemas): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const leaf = (l: unknown, r: unknown, path: PathElement[]) => {
    if (l === undefined) c.added.add(path);
    else if (r === undefined) c.removed.add(path);
    else if (!deepEqual(l, r)) c.modified.add(path);
  };
  const walk = (l: unknown, r: unknown, fs: FieldSchema | undefined, path: PathElement[], required = false) => {
    if (l === undefined && r === undefined) return;
    const ls = l === undefined ? undefined : schemas.shape(fs, l);
    const rs = r === undefined ? undefined : schemas.shape(fs, r);
    const shape = (rs ?? ls)!;
    if (
      isLeaf(shape) ||
      (ls && rs && ls.kind !== rs.kind) ||
      (isEmptyContainer(l) && isEmptyContainer(r))
    ) {
      leaf(l, r, path);
      return;
    }
    if (shape.kind === "list") {
      const lItems = groupItems(l as unknown[] | undefined, shape, schemas, path);
      const rItems = groupItems(r as unknown[] | undefined, shape, schemas, path);
      for (const pe of new Set([...lItems.keys(), ...rItems.keys()])) {
        const ll = lItems.get(pe) ?? [];
        const rl = rItems.get(pe) ?? [];
        const itemPath = [...path, pe];
        // duplicated entries compare as one opaque item, as upstream does
        if (ll.length <= 1 && rl.length <= 1) walk(ll[0], rl[0], shape.item, itemPath);
        else if (ll.length > 1 && rl.length > 1) {
          if (!deepEqual(ll, rl)) c.modified.add(itemPath);
        } else if (ll.length > 1) {
          if (rl.length) walk(undefined, rl[0], shape.item, itemPath);
          c.removed.add(itemPath);
        } else {
          if (ll.length) walk(ll[0], undefined, shape.item, itemPath);
          c.added.add(itemPath);
        }
      }
    } else if (shape.kind === "object") {
      const lo = (isObject(l) ? l : {}) as JsonObject;
      const ro = (isObject(r) ? r : {}) as JsonObject;
      const objSchema = (rs?.kind === "object" ? rs.schema : undefined) ?? (ls?.kind === "object" ? ls.schema : undefined);
      for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
        walk(lo[k], ro[k], schemas.child(objSchema, k), [...path, fieldElement(k)], objSchema?.required?.includes(k) ?? false);
      }
      // a struct field appearing or vanishing is not recorded itself (Go keeps such fields as
      // zero values); list items are
      if (shape.struct && path.length > 0 && path[path.length - 1].startsWith("f:")) return;
    }
    // nor is a required container (Go serialises it even when empty, so it never "appears")
    if (path.length === 0 || required) return;
    if (l === undefined) c.added.add(path);
    else if (r === undefined) c.removed.add(path);
  };
  walk(lhs, rhs, schema, []);
  return c;
}

/** Items of a keyed list grouped by path element, in order of first appearance. */
function groupItems(list: unknown[] | undefined, shape: ListShape, schemas: Schemas, path: FieldPath): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const item of list ?? []) {
    const pe = itemElement(item, shape, schemas, path);
    const group = out.get(pe);
    if (group) group.push(item);
    else out.set(pe, [item]);
  }
  return out;
}

/** Merges an applied configuration `rhs` into `lhs` (upstream's Merge): rhs wins at leaves. */
function merge(lhs: unknown, rhs: unknown, schema: FieldSchema | undefined, schemas: Schemas): unknown {
  const walk = (l: unknown, r: unknown, fs: FieldSchema | undefined, path: PathElement[]): unknown => {
    if (r === undefined) return clone(l);
    if (l === undefined || l === null) return clone(r);
    const ls = schemas.shape(fs, l);
    // null over a granular map or list states no opinion on its contents (only ownership)
    if (r === null && !isLeaf(ls) && ls.kind !== "scalar") return clone(l);
    const rs = schemas.shape(fs, r);
    if (isLeaf(rs) || ls.kind !== rs.kind || (isEmptyContainer(l) && isEmptyContainer(r))) return clone(r);
    if (rs.kind === "object") {
      const lo = l as JsonObject;
      const ro = r as JsonObject;
      const out: JsonObject = {};
      for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
        const v = walk(lo[k], ro[k], schemas.child(rs.schema, k), [...path, fieldElement(k)]);
        if (v !== undefined) out[k] = v as JsonObject;
      }
      return out;
    }
    if (rs.kind === "list") return mergeList(l as unknown[], r as unknown[], { shape: rs, schemas, path, walk });
    return clone(r);
  };
  return walk(lhs, rhs, schema, []);
}

type MergeFn = (l: unknown, r: unknown, fs: FieldSchema | undefined, path: PathElement[]) => unknown;

interface ListMerge {
  shape: ListShape;
  schemas: Schemas;
  path: PathElement[];
  walk: MergeFn;
}

/**
 * Merges keyed list items as structured-merge-diff orders them: live items
 * the config lacks keep their place, the config's items come in the config's
 * order, each merged with its live twin.
 */
function mergeList(lhs: unknown[], rhs: unknown[], m: ListMerge): unknown[] {
  const { shape, schemas, path, walk } = m;
  const rPEs = rhs.map((item) => itemElement(item, shape, schemas, path));
  const rByPE = new Map<string, unknown>();
  rPEs.forEach((pe, i) => {
    if (rByPE.has(pe)) throw new TypedValueError(path, `duplicate entries for key ${pathString([pe])}`);
    rByPE.set(pe, rhs[i]);
  });
  const lPEs = lhs.map((item) => itemElement(item, shape, schemas, path));
  const lByPE = new Map<string, unknown>();
  lPEs.forEach((pe, i) => {
    // duplicated live entries are replaced by the config's entry, not merged into it
    lByPE.set(pe, lByPE.has(pe) ? null : lhs[i]);
  });
  const shared = rPEs.filter((pe) => lByPE.has(pe));
  let next = 0;
  const done = new Set<string>();
  const out: unknown[] = [];
  const emit = (pe: string) => {
    done.add(pe);
    const v = walk(lByPE.get(pe), rByPE.get(pe), shape.item, [...path, pe]);
    if (v !== undefined) out.push(v);
  };
  let li = 0;
  let ri = 0;
  while (li < lPEs.length || ri < rPEs.length) {
    if (li < lPEs.length && ri < rPEs.length) {
      const pe = lPEs[li];
      if (pe === rPEs[ri]) {
        emit(pe);
        li++;
        ri++;
        next++;
        continue;
      }
      if (rByPE.has(pe) && next < shared.length && shared[next] !== pe) {
        li++;
        continue;
      }
    }
    if (li < lPEs.length) {
      const pe = lPEs[li];
      if (!rByPE.has(pe)) {
        out.push(clone(lhs[li]));
        li++;
        continue;
      }
      if (done.has(pe)) li++;
    }
    if (ri < rPEs.length) {
      const pe = rPEs[ri];
      emit(pe);
      ri++;
      if (shared[next] === pe) next++;
    }
  }
  return out;
}

/** Removes each member path of `set` from a copy of `value`; containers emptied by it disappear. */
function removeItems(value: unknown, set: FieldSet, schema: FieldSchema | undefined, schemas: Schemas): unknown {
  const paths = set.paths();
  if (paths.length === 0) return clone(value);
  // a trie of the paths; `true` marks a path to remove whole (what lies below it goes with it)
  const trie = new Map<string, unknown>();
  for (const p of paths) {
    let node = trie;
    for (let i = 0; i < p.length; i++) {
      const cur = node.get(p[i]);
      if (cur === true) break;
      if (i === p.length - 1) {
        node.set(p[i], true);
        break;
      }
      let next = cur as Map<string, unknown> | undefined;
      if (!next) {
        next = new Map();
        node.set(p[i], next);
      }
      node = next;
    }
  }
  const walk = (v: unknown, fs: FieldSchema | undefined, node: Map<string, unknown>, path: PathElement[]): unknown => {
    const shape = schemas.shape(fs, v);
    if (isLeaf(shape) || isEmptyContainer(v)) return v;
    if (shape.kind === "object") {
      const out: JsonObject = {};
      for (const [k, child] of Object.entries(v as JsonObject)) {
        const sub = node.get(fieldElement(k));
        if (sub === true) continue;
        out[k] = (sub ? walk(child, schemas.child(shape.schema, k), sub as Map<string, unknown>, [...path, fieldElement(k)]) : child) as JsonObject;
        if (out[k] === undefined) delete out[k];
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    if (shape.kind === "list") {
      const out: unknown[] = [];
      for (const item of v as unknown[]) {
        const pe = itemElement(item, shape, schemas, path);
        const sub = node.get(pe);
        if (sub === true) continue;
        const kept = sub ? walk(item, shape.item, sub as Map<string, unknown>, [...path, pe]) : item;
        if (kept !== undefined) out.push(kept);
      }
      return out.length > 0 ? out : undefined;
    }
    return v;
  };
  return walk(clone(value), schema, trie, []);
}

/** The structured-merge operations on values of one root schema. */
export class Typed {
  constructor(
    private readonly schemas: Schemas,
    private readonly root: FieldSchema | undefined,
  ) {}

  /** The fields `value` sets; throws TypedValueError for bad list items (and duplicates unless allowed). */
  fieldSet(value: unknown, allowDuplicates = false): FieldSet {
    return toFieldSet(value, this.root, this.schemas, allowDuplicates);
  }

  /** What changed from `before` to `after`. */
  compare(before: unknown, after: unknown): Comparison {
    return compare(before, after, this.root, this.schemas);
  }

  /** `config` merged into `live`, config winning at leaves. */
  merge(live: unknown, config: unknown): unknown {
    return merge(live, config, this.root, this.schemas);
  }

  /** A copy of `value` without the member paths of `set`. */
  removeItems(value: unknown, set: FieldSet): unknown {
    return removeItems(value, set, this.root, this.schemas);
  }
}
