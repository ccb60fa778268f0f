// Checks that the informer-backed RBAC view follows writes made through the
// real REST core: with a one-hour cache age, a new RoleBinding is honoured
// (and a deleted one revoked) as soon as its watch event arrives; and the
// aggregation controller keeps aggregated ClusterRoles' rules current.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { builtinKinds, builtinSchemas } from "../../../api/mod.ts";
import type { KubeObject, UserInfo } from "../../../api/types.ts";
import { inProcessClient } from "../../../client/inprocess.ts";
import { startTestServer } from "../../testenv.ts";
import type { TestServer } from "../../testenv.ts";
import { startClusterRoleAggregation } from "./aggregationcontroller.ts";
import { createRbacAuthorizer } from "./authorizer.ts";
import { createRbacInformers } from "./informers.ts";
import type { RbacInformers } from "./informers.ts";
import { bootstrapPolicy } from "./policy.ts";

const SYSTEM: UserInfo = { username: "system:apiserver", groups: ["system:masters"] };
const bob: UserInfo = { username: "bob", groups: ["system:authenticated"] };
const RB = { group: "rbac.authorization.k8s.io", version: "v1", resource: "rolebindings", namespaced: true };
const CR = { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", namespaced: false };
let ts: TestServer;
let informers: RbacInformers;

before(async () => {
  ts = await startTestServer({ kinds: builtinKinds(), schemas: builtinSchemas() });
  const client = inProcessClient(ts.api.handler, SYSTEM);
  for (const obj of bootstrapPolicy().filter((o) => o.kind === "ClusterRole")) await client.create(CR, undefined, obj);
  informers = createRbacInformers(client);
});

after(async () => {
  informers?.stop();
  await ts?.close();
});

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

test("bindings take effect and are revoked through watch events", async () => {
  const authz = createRbacAuthorizer({ lister: informers.lister, maxAgeMs: 3_600_000 });
  informers.start(authz);
  const listPods = () => authz.authorize({ user: bob, verb: "list", resourceRequest: true, apiGroup: "", resource: "pods", namespace: "default" });
  assert.equal((await listPods()).allowed, false);
  const client = inProcessClient(ts.api.handler, SYSTEM);
  await client.create(RB, "default", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "bob-view", namespace: "default" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "bob" }],
  });
  assert.ok(await eventually(async () => (await listPods()).allowed), "binding honoured");
  await client.delete(RB, "default", "bob-view");
  assert.ok(await eventually(async () => !(await listPods()).allowed), "binding revoked");
});

test("the aggregation controller folds a new aggregate-to-view role into view, edit and admin", async () => {
  const client = inProcessClient(ts.api.handler, SYSTEM);
  const controller = startClusterRoleAggregation(client, { debounceMs: 10 });
  try {
    await controller.ready();
    const hasWidgets = async (name: string) => {
      const role = await client.get<KubeObject & { rules?: { resources?: string[] }[] }>(CR, undefined, name);
      return (role.rules ?? []).some((r) => r.resources?.includes("widgets"));
    };
    assert.equal(await hasWidgets("view"), false);
    await client.create(CR, undefined, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "widget-viewer", labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
      rules: [{ verbs: ["get", "list"], apiGroups: ["example.com"], resources: ["widgets"] }],
    });
    assert.ok(await eventually(async () => (await hasWidgets("view")) && (await hasWidgets("edit")) && (await hasWidgets("admin"))));
  } finally {
    controller.stop();
  }
});
