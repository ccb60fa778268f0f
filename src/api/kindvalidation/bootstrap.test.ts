/**
 * Everything the server writes at start-up (namespaces, priority classes, the
 * kubernetes Service and its endpoints, the RBAC bootstrap policy) passes its
 * kind's validation: a refusal here would stop the server from starting.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootstrapPolicy } from "../../apiserver/auth/rbac/policy.ts";
import { bootstrapObjects, kubernetesEndpointObjects } from "../bootstrap.ts";
import type { KubeObject } from "../types.ts";
import { ctx, kindOf } from "./testsupport.ts";

function problems(o: KubeObject): string[] {
  const def = kindOf(o);
  assert.ok(def, `no kind ${o.apiVersion} ${o.kind}`);
  const obj = structuredClone(o);
  def.defaults?.(obj);
  return (def.validate?.(obj, undefined, ctx) ?? []).map((e) => `${o.kind} ${o.metadata.name}: ${e.field}: ${e.message}`);
}

test("start-up objects and the RBAC bootstrap policy are valid", () => {
  const objects = [
    ...bootstrapObjects(ctx.cluster),
    // a server with no other address advertises loopback
    ...kubernetesEndpointObjects({ address: "127.0.0.1", port: 6443 }),
    ...kubernetesEndpointObjects({ address: "fd00::10", port: 6443 }),
    ...bootstrapPolicy(),
  ];
  assert.ok(objects.length > 50, `only ${objects.length} objects`);
  assert.deepEqual(objects.flatMap(problems), []);
});
