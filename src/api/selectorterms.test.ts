/** Checks that selector strings split on top-level commas only, trimmed, without empty terms. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { splitSelectorTerms } from "./selectorterms.ts";

test("splits on commas outside parentheses, trims and drops empty terms", () => {
  assert.deepEqual(splitSelectorTerms("a=b, c in (x, y),,!d ,"), ["a=b", "c in (x, y)", "!d"]);
  assert.deepEqual(splitSelectorTerms(""), []);
  assert.deepEqual(splitSelectorTerms("  "), []);
});
