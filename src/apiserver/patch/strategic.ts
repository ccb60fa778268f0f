/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) with the
 * semantics of apimachinery's strategicpatch: lists whose field carries
 * patchStrategy "merge" merge by patchMergeKey (or as sets of primitives),
 * others are replaced; maps merge per key; null deletes; and the directives
 * `$patch` (replace | delete | merge), `$setElementOrder/<list>`,
 * `$retainKeys` and `$deleteFromPrimitiveList/<list>`.
 *
 * Custom resources: upstream answers a strategic patch of a CR with 415; that
 * decision belongs to the REST core. Fields without schema merge like a JSON
 * merge patch (maps merge, lists are replaced).
 */
import type { FieldSchema, SchemaRegistry } from "../../api/kind.ts";
import { PatchError, badRequest } from "./errors.ts";
import { clone, deepEqual, isObject } from "./json.ts";
import type { JsonObject, JsonValue } from "./json.ts";
import { Schemas, patchStrategies } from "./schema.ts";

const directiveMarker = "$patch";
const retainKeysDirective = "$retainKeys";
const setElementOrderPrefix = "$setElementOrder";
const deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";

/** Where a strategic merge patch finds its merge keys and strategies. */
export interface StrategicMergeOptions {
  schemas: SchemaRegistry;
  /** definition name of the patched object's schema, e.g. "io.k8s.api.apps.v1.Deployment" */
  rootRef: string | undefined;
}

/** Applies a strategic merge patch to a copy of `doc`. */
export function applyStrategicMergePatch<T>(doc: T, patch: unknown, options: StrategicMergeOptions): T {
  if (!isObject(patch)) throw badRequest("invalid JSON document");
  const schemas = new Schemas(options.schemas);
  const original = isObject(doc) ? (clone(doc) as unknown as JsonObject) : {};
  return mergeMap(original, clone(patch), schemas.root(options.rootRef), schemas) as T;
}

function goMap(v: unknown): string {
  return JSON.stringify(v);
}

function mergeMap(
  original: JsonObject | undefined,
  patch: JsonObject,
  schema: FieldSchema | undefined,
  schemas: Schemas,
): JsonObject {
  if (Object.prototype.hasOwnProperty.call(patch, directiveMarker)) {
    const directive = patch[directiveMarker];
    if (directive === "replace") {
      delete patch[directiveMarker];
      return removeDirectives(patch) as JsonObject;
    }
    if (directive === "delete") return {};
    throw badRequest(`unknown patch type: ${String(directive)} in map: ${goMap(patch)}`);
  }
  const out: JsonObject = original ?? {};
  applyRetainKeys(out, patch);
  applySetElementOrder(out, patch, schema, schemas);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(deleteFromPrimitiveListPrefix)) {
      key = extractKey(rawKey, deleteFromPrimitiveListPrefix, "invalid patch format of primitive list");
      isDeleteList = true;
    }
    if (patchV === null) {
      delete out[key];
      continue;
    }
    const fieldSchema = schemas.child(schema, key);
    if (!Object.prototype.hasOwnProperty.call(out, key) || out[key] === null) {
      if (!isDeleteList) setOrDrop(out, key, newValue(patchV, fieldSchema, schemas));
      continue;
    }
    const origV = out[key];
    const strategies = patchStrategies(fieldSchema).filter((s) => s !== "retainKeys");
    if (isObject(origV) && isObject(patchV)) {
      out[key] = strategies.includes("replace") ? (removeDirectives(patchV) as JsonObject) : mergeMap(origV, patchV, fieldSchema, schemas);
    } else if (Array.isArray(origV) && Array.isArray(patchV)) {
      const merged = strategies.includes("merge") || isDeleteList
        ? mergeSlice(origV, patchV, { key, fieldSchema, schemas, isDeleteList })
        : removeDirectives(patchV);
      out[key] = merged as JsonValue;
    } else if (!isDeleteList) {
      setOrDrop(out, key, newValue(patchV, fieldSchema, schemas));
    }
  }
  return out;
}

/** A patch value for a key the original lacks: nulls dropped, directives processed against nothing. */
function newValue(patchV: unknown, fieldSchema: FieldSchema | undefined, schemas: Schemas): unknown {
  if (isObject(patchV)) {
    if (Object.prototype.hasOwnProperty.call(patchV, directiveMarker)) return undefined;
    return mergeMap(undefined, patchV, fieldSchema, schemas);
  }
  if (Array.isArray(patchV)) {
    const item = schemas.item(fieldSchema);
    const out: unknown[] = [];
    for (const v of patchV) {
      if (isObject(v)) {
        if (Object.prototype.hasOwnProperty.call(v, directiveMarker)) continue;
        out.push(mergeMap(undefined, v, item, schemas));
      } else out.push(v);
    }
    return out;
  }
  return patchV;
}

function setOrDrop(out: JsonObject, key: string, value: unknown): void {
  if (value === undefined) delete out[key];
  else out[key] = value as JsonObject;
}

function extractKey(key: string, prefix: string, message: string): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix) throw badRequest(message);
  return key.slice(slash + 1);
}

/** Strips `$patch` maps (dropping them) and other directive keys, recursively. */
function removeDirectives(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v.filter((x) => !(isObject(x) && directiveMarker in x)).map(removeDirectives);
  }
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith("$")) continue;
      if (isObject(x) && directiveMarker in x) continue;
      out[k] = removeDirectives(x) as JsonObject;
    }
    return out;
  }
  return v;
}

/** `$retainKeys`: drop every original key not listed; every patched key must be listed. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.prototype.hasOwnProperty.call(patch, retainKeysDirective)) return;
  const list = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(list)) throw badRequest("invalid patch format of retainKeys");
  const keep = new Set(list.map((k) => String(k)));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix)) continue;
    if (!keep.has(k)) throw badRequest("invalid patch format of retainKeys");
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

interface SliceOptions {
  /** the list's field name, for messages */
  key: string;
  fieldSchema: FieldSchema | undefined;
  schemas: Schemas;
  isDeleteList: boolean;
}

/** `$setElementOrder/<list>`: merge that list now and order it as the directive says. */
function applySetElementOrder(
  original: JsonObject,
  patch: JsonObject,
  schema: FieldSchema | undefined,
  schemas: Schemas,
): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(setElementOrderPrefix)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw badRequest("invalid patch format of setElementOrder list");
    const key = extractKey(directiveKey, setElementOrderPrefix, "invalid patch format of setElementOrder list");
    const fieldSchema = schemas.child(schema, key);
    const mergeKey = fieldSchema?.patchMergeKey ?? "";
    const origList = original[key];
    const patchList = patch[key];
    const foundOrig = origList !== undefined && origList !== null;
    const foundPatch = patchList !== undefined && patchList !== null;
    if (foundOrig && !Array.isArray(origList)) throw badRequest(`expected a []interface {}, but received a ${typeof origList}`);
    if (foundPatch && !Array.isArray(patchList)) throw badRequest(`expected a []interface {}, but received a ${typeof patchList}`);
    validateOrder((patchList as unknown[] | undefined) ?? [], order, mergeKey);
    let merged: unknown[];
    // upstream orders server-only items against the live list as its merge left it in
    // place (see RawMerge.seenAsLive), an effect of Go slice aliasing its tests pin down
    let serverOrder = (origList as unknown[] | undefined) ?? [];
    if (foundOrig && foundPatch) {
      if (patchStrategies(fieldSchema).includes("merge")) {
        const raw = mergeSliceRaw(origList as unknown[], patchList as unknown[], { key, fieldSchema, schemas, isDeleteList: false });
        merged = raw.merged;
        serverOrder = raw.seenAsLive;
      } else merged = removeDirectives(patchList) as unknown[];
    } else if (foundPatch) {
      merged = newValue(patchList, fieldSchema, schemas) as unknown[];
    } else if (foundOrig) {
      merged = origList as unknown[];
    } else {
      continue;
    }
    const [inOrder, serverOnly] = partition(merged, order, mergeKey);
    original[key] = normalizeElementOrder(inOrder, serverOnly, { patchOrder: order, serverOrder, mergeKey }) as JsonObject[];
    delete patch[key];
  }
}

/** The relative order of the patch list's items must agree with the `$setElementOrder` list. */
function validateOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = patchList.filter((v) => !(isObject(v) && directiveMarker in v));
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (sameKey(items[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) {
    throw badRequest(`the order in patch list ${goMap(patchList)} doesn't match $setElementOrder list ${goMap(order)}`);
  }
}

function keyOf(item: unknown, mergeKey: string): unknown {
  if (!mergeKey) return item;
  if (!isObject(item)) return undefined;
  return item[mergeKey];
}

function sameKey(a: unknown, b: unknown, mergeKey: string): boolean {
  const ka = keyOf(a, mergeKey);
  return ka !== undefined && deepEqual(ka, keyOf(b, mergeKey));
}

function indexIn(list: unknown[], item: unknown, mergeKey: string): number {
  return list.findIndex((x) => sameKey(item, x, mergeKey));
}

function partition(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inBy: unknown[] = [];
  const rest: unknown[] = [];
  for (const v of list) {
    if (mergeKey && !(isObject(v) && mergeKey in v)) {
      throw badRequest(`map: ${goMap(v)} does not contain declared merge key: ${mergeKey}`);
    }
    (indexIn(by, v, mergeKey) >= 0 ? inBy : rest).push(v);
  }
  return [inBy, rest];
}

interface OrderOptions {
  patchOrder: unknown[];
  serverOrder: unknown[];
  mergeKey: string;
}

/**
 * Patch items in patch order, server-only items in live order, interleaved
 * so that a server-only item stays before a patch item it preceded live.
 */
function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], o: OrderOptions): unknown[] {
  const sortBy = (list: unknown[], order: unknown[]) =>
    list
      .map((v, i) => ({ v, i, at: indexIn(order, v, o.mergeKey) }))
      .sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : a.i - b.i))
      .map((x) => x.v);
  const right = sortBy(patchItems, o.patchOrder);
  const left = sortBy(serverOnly, o.serverOrder);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(o.serverOrder, left[i], o.mergeKey);
      const ri = indexIn(o.serverOrder, right[j], o.mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function elementKind(lists: unknown[][]): "map" | "scalar" | "none" {
  let kind: "map" | "scalar" | "none" = "none";
  for (const list of lists) {
    for (const v of list) {
      if (Array.isArray(v)) throw new PatchError(422, "lists of lists are not supported", { detail: "lists of lists are not supported" });
      const k = isObject(v) ? "map" : "scalar";
      if (kind !== "none" && kind !== k) throw badRequest(`mismatched list element types in ${goMap(list)}`);
      kind = k;
    }
  }
  return kind;
}

/** A merged list before ordering: live items (after deletions) merged in place, new items appended. */
interface RawMerge {
  merged: unknown[];
  /** the live list after `$patch: delete` items */
  live: unknown[];
  /** the patch's items without directives */
  items: unknown[];
  mergeKey: string;
  /**
   * The live list as upstream's $setElementOrder step sees it after merging:
   * Go's in-place deletions leave room that the first appended items fill.
   */
  seenAsLive: unknown[];
}

/** Merges a list with patchStrategy "merge" (or applies a `$deleteFromPrimitiveList`), in upstream's order. */
function mergeSlice(original: unknown[], patch: unknown[], o: SliceOptions): unknown[] {
  const raw = mergeSliceRaw(original, patch, o);
  const [inPatch, serverOnly] = partition(raw.merged, raw.items, raw.mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, { patchOrder: raw.items, serverOrder: raw.live, mergeKey: raw.mergeKey });
}

function mergeSliceRaw(original: unknown[], patch: unknown[], o: SliceOptions): RawMerge {
  if (original.length === 0 && patch.length === 0) {
    return { merged: original, live: original, items: [], mergeKey: "", seenAsLive: original };
  }
  const kind = elementKind([original, patch]);
  if (kind === "scalar") {
    if (o.isDeleteList) {
      const kept = original.filter((v) => !patch.some((p) => deepEqual(p, v)));
      return { merged: kept, live: kept, items: [], mergeKey: "", seenAsLive: original };
    }
    const out: unknown[] = [];
    for (const v of [...original, ...patch]) if (!out.some((x) => deepEqual(x, v))) out.push(v);
    return { merged: out, live: original, items: patch, mergeKey: "", seenAsLive: original };
  }
  const mergeKey = o.fieldSchema?.patchMergeKey ?? "";
  if (!mergeKey) throw badRequest(`cannot merge lists without merge key for ${o.key}`);
  const itemSchema = o.schemas.item(o.fieldSchema);
  let live = original;
  let items: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!Object.prototype.hasOwnProperty.call(m, directiveMarker)) {
      items.push(m);
      continue;
    }
    const directive = m[directiveMarker];
    if (directive === "delete") {
      if (!(mergeKey in m)) throw badRequest(`map: ${goMap(m)} does not contain declared merge key: ${mergeKey}`);
      live = live.filter((x) => !sameKey(x, m, mergeKey));
    } else if (directive === "replace") {
      replace = true;
    } else if (directive === "merge") {
      throw badRequest("merging lists cannot yet be specified in the patch");
    } else {
      throw badRequest(`unknown patch type: ${String(directive)} in map: ${goMap(m)}`);
    }
  }
  if (replace) {
    live = items.map((x) => removeDirectives(x));
    items = [];
  }
  const merged = live.map((x) => x);
  const appended: unknown[] = [];
  for (const item of items) {
    const m = item as JsonObject;
    if (!(mergeKey in m)) throw badRequest(`map: ${goMap(m)} does not contain declared merge key: ${mergeKey}`);
    const at = merged.findIndex((x) => sameKey(x, m, mergeKey));
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, m, itemSchema, o.schemas);
    else {
      const added = mergeMap(undefined, m, itemSchema, o.schemas);
      merged.push(added);
      appended.push(added);
    }
  }
  const removed = replace ? 0 : original.length - live.length;
  return { merged, live, items, mergeKey, seenAsLive: [...live, ...appended.slice(0, removed)] };
}
