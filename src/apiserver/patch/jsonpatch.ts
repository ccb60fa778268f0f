/** RFC 6902 JSON Patch, as the API server applies `application/json-patch+json`. */
import { PatchError, badRequest, unprocessable } from "./errors.ts";
import { clone, deepEqual, isObject } from "./json.ts";
import type { JsonValue } from "./json.ts";

/** Upstream refuses longer JSON patches with 413. */
export const maxJsonPatchOperations = 10000;

/** One RFC 6902 operation as decoded from the request body. */
export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** Splits a JSON pointer into unescaped tokens ("" is the whole document). */
export function parsePointer(pointer: unknown): string[] {
  if (typeof pointer !== "string") throw unprocessable(`json pointer ${JSON.stringify(pointer)} is not a string`);
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw unprocessable(`json pointer "${pointer}" does not start with "/"`);
  return pointer
    .slice(1)
    .split("/")
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw unprocessable(`json pointer "${pointer}" has an invalid escape`);
      return token.replace(/~1/g, "/").replace(/~0/g, "~");
    });
}

interface Location {
  parent: Record<string, unknown> | unknown[];
  key: string;
}

function arrayIndex(token: string, length: number, pointer: string, allowEnd: boolean): number {
  if (allowEnd && token === "-") return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw unprocessable(`invalid array index "${token}" in "${pointer}"`);
  const i = Number(token);
  if (i > length || (!allowEnd && i === length)) throw unprocessable(`array index ${i} out of bounds in "${pointer}"`);
  return i;
}

/** Walks to the container holding the last token; the holder of the root is a one-key box. */
function locate(box: { root: unknown }, pointer: string): Location {
  const tokens = parsePointer(pointer);
  let parent: Record<string, unknown> | unknown[] = box as Record<string, unknown>;
  let key = "root";
  for (const token of tokens) {
    const next: unknown = Array.isArray(parent)
      ? parent[arrayIndex(key, parent.length, pointer, false)]
      : Object.prototype.hasOwnProperty.call(parent, key)
        ? parent[key]
        : undefined;
    if (!Array.isArray(next) && !isObject(next)) throw unprocessable(`path "${pointer}" does not exist`);
    parent = next;
    key = token;
  }
  return { parent, key };
}

function getValue(loc: Location, pointer: string): unknown {
  if (Array.isArray(loc.parent)) return loc.parent[arrayIndex(loc.key, loc.parent.length, pointer, false)];
  if (!Object.prototype.hasOwnProperty.call(loc.parent, loc.key)) throw unprocessable(`path "${pointer}" does not exist`);
  return loc.parent[loc.key];
}

function addValue(loc: Location, value: unknown, pointer: string): void {
  if (Array.isArray(loc.parent)) {
    loc.parent.splice(arrayIndex(loc.key, loc.parent.length, pointer, true), 0, value);
  } else {
    loc.parent[loc.key] = value;
  }
}

function removeValue(loc: Location, pointer: string): unknown {
  const old = getValue(loc, pointer);
  if (Array.isArray(loc.parent)) loc.parent.splice(Number(loc.key), 1);
  else delete loc.parent[loc.key];
  return old;
}

function requireValue(op: Record<string, unknown>, i: number): unknown {
  if (!Object.prototype.hasOwnProperty.call(op, "value")) throw unprocessable(`operation ${i} (${String(op.op)}) has no value`);
  return op.value;
}

/** Decodes a JSON patch body (bytes, text or parsed) into operations; malformed JSON is a 400. */
export function decodeJsonPatch(body: Buffer | string | unknown): JsonPatchOperation[] {
  let ops: unknown = body;
  if (typeof body === "string" || Buffer.isBuffer(body)) {
    try {
      ops = JSON.parse(body.toString());
    } catch (e) {
      throw badRequest(`invalid json patch: ${(e as Error).message}`);
    }
  }
  if (!Array.isArray(ops)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  if (ops.length > maxJsonPatchOperations) {
    throw new PatchError(413, `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${ops.length}`);
  }
  for (const op of ops) {
    if (!isObject(op)) throw badRequest("json: cannot unmarshal non-object into Go value of type jsonpatch.Operation");
  }
  return ops as JsonPatchOperation[];
}

/** Applies RFC 6902 operations to a copy of `doc`; a failed operation (test included) is a 422. */
export function applyJsonPatch<T>(doc: T, ops: readonly JsonPatchOperation[] | unknown): T {
  const list = decodeJsonPatch(ops);
  const box = { root: clone(doc) as unknown };
  list.forEach((raw, i) => {
    const op = raw as unknown as Record<string, unknown>;
    const path = op.path;
    if (typeof path !== "string") throw unprocessable(`operation ${i} has no path`);
    switch (op.op) {
      case "add":
        addValue(locate(box, path), clone(requireValue(op, i)), path);
        break;
      case "remove":
        removeValue(locate(box, path), path);
        break;
      case "replace": {
        const loc = locate(box, path);
        getValue(loc, path);
        const value = clone(requireValue(op, i));
        if (Array.isArray(loc.parent)) loc.parent[Number(loc.key)] = value;
        else loc.parent[loc.key] = value;
        break;
      }
      case "move": {
        const from = op.from;
        if (typeof from !== "string") throw unprocessable(`operation ${i} (move) has no from`);
        if (path.startsWith(from + "/")) throw unprocessable(`cannot move "${from}" into its own child "${path}"`);
        if (from === path) break;
        const value = removeValue(locate(box, from), from);
        addValue(locate(box, path), value, path);
        break;
      }
      case "copy": {
        const from = op.from;
        if (typeof from !== "string") throw unprocessable(`operation ${i} (copy) has no from`);
        const value = clone(getValue(locate(box, from), from));
        addValue(locate(box, path), value, path);
        break;
      }
      case "test": {
        const expected = requireValue(op, i) as JsonValue;
        let actual: unknown;
        try {
          actual = getValue(locate(box, path), path);
        } catch {
          actual = undefined;
        }
        if (!(actual === undefined && expected === null) && !deepEqual(actual, expected)) {
          throw unprocessable(`testing value ${path} failed: test failed`);
        }
        break;
      }
      default:
        throw unprocessable(`unexpected kind: ${String(op.op)}`);
    }
  });
  return box.root as T;
}
