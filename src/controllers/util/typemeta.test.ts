/** Checks that withKind fills only missing type metadata and leaves the input alone. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withKind } from "./typemeta.ts";

test("withKind fills missing apiVersion and kind, keeps present ones", () => {
  const gvk = { apiVersion: "apps/v1", kind: "Deployment" };
  const bare = { metadata: { name: "d" } };
  assert.deepEqual(withKind(bare, gvk), { metadata: { name: "d" }, apiVersion: "apps/v1", kind: "Deployment" });
  assert.deepEqual(bare, { metadata: { name: "d" } });
  const typed = { apiVersion: "apps/v1beta1", kind: "Other", metadata: { name: "d" } };
  assert.deepEqual(withKind(typed, gvk), typed);
});
