// Checks server-side apply and managedFields upkeep: field sets as upstream
// writes them, removal of fields an applier stops applying, conflicts (409
// with upstream's wording) and forcing, shared ownership, kubectl's upgrade
// from client-side apply, before-first-apply, Update ownership moves,
// subresources, ignored status, and the Update entry cap.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, ManagedFieldsEntry } from "../../api/types.ts";
import { ApplyConflictError, PatchError, lastAppliedAnnotation, serverSideApply, updateManagedFields } from "./mod.ts";
import type { ApplyOptions } from "./mod.ts";
import { testSchemas } from "./testdata.ts";

const t0 = new Date("2026-11-25T10:00:00.123Z");
const t1 = new Date("2026-11-25T11:00:00Z");
const cmOpts = (manager: string, extra: Partial<ApplyOptions> = {}): ApplyOptions => ({
  manager,
  schemas: testSchemas,
  rootRef: "io.k8s.api.core.v1.ConfigMap",
  apiVersion: "v1",
  now: t0,
  ...extra,
});
const depOpts = (manager: string, extra: Partial<ApplyOptions> = {}): ApplyOptions => ({
  ...cmOpts(manager, extra),
  rootRef: "io.k8s.api.apps.v1.Deployment",
  apiVersion: "apps/v1",
  ...extra,
});

function configMap(data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  const cm: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default" }, data };
  if (labels) cm.metadata.labels = labels;
  return cm;
}

function entry(obj: KubeObject, manager: string, operation = "Apply"): ManagedFieldsEntry | undefined {
  return obj.metadata.managedFields?.find((e) => e.manager === manager && e.operation === operation);
}

/** What a stored object looks like: the apiserver adds these after apply/create. */
function stored(obj: KubeObject): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, uid: "u-1", resourceVersion: "7", creationTimestamp: "2026-11-25T09:00:00Z" } };
}

function isConflict(message: string): (e: unknown) => boolean {
  return (e: unknown) => {
    if (!(e instanceof ApplyConflictError)) return false;
    assert.equal(e.code, 409);
    assert.equal(e.reason, "Conflict");
    assert.equal(e.message, message);
    return true;
  };
}

test("apply creates the object and records Apply ownership like upstream", () => {
  const { object } = serverSideApply(undefined, configMap({ key: "a" }, { app: "web" }), cmOpts("kubectl"));
  assert.deepEqual(object.data, { key: "a" });
  assert.deepEqual(object.metadata.managedFields, [
    {
      manager: "kubectl",
      operation: "Apply",
      apiVersion: "v1",
      time: "2026-11-25T10:00:00Z",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { "f:key": {} }, "f:metadata": { "f:labels": { "f:app": {} } } },
    },
  ]);
});

test("re-applying without a field removes it; fields never applied stay", () => {
  const first = stored(serverSideApply(undefined, configMap({ a: "1", b: "2" }, { app: "web", tier: "x" }), cmOpts("kubectl")).object);
  const withOther = updateManagedFields(first, { ...first, data: { ...(first.data as object), c: "3" } }, cmOpts("kubectl-edit"));
  const { object } = serverSideApply(withOther, configMap({ a: "1" }, { app: "web" }), cmOpts("kubectl", { now: t1 }));
  assert.deepEqual(object.data, { a: "1", c: "3" });
  assert.deepEqual(object.metadata.labels, { app: "web" });
  assert.equal(object.metadata.uid, "u-1", "system metadata survives pruning");
  assert.deepEqual(entry(object, "kubectl")?.fieldsV1, { "f:data": { "f:a": {} }, "f:metadata": { "f:labels": { "f:app": {} } } });
  assert.equal(entry(object, "kubectl")?.time, "2026-11-25T11:00:00Z");
});

test("dropping the last label removes the labels map", () => {
  const first = stored(serverSideApply(undefined, configMap({ a: "1" }, { app: "web" }), cmOpts("kubectl")).object);
  const { object } = serverSideApply(first, configMap({ a: "1" }), cmOpts("kubectl"));
  assert.equal(object.metadata.labels, undefined);
  assert.equal(object.metadata.name, "cfg");
});

test("a conflict with kubectl-client-side-apply is a 409 in upstream's words; force moves ownership", () => {
  const created = updateManagedFields(undefined, stored(configMap({ key: "a" })), cmOpts("kubectl-client-side-apply"));
  assert.deepEqual(entry(created, "kubectl-client-side-apply", "Update")?.fieldsV1, { "f:data": { ".": {}, "f:key": {} } });
  assert.throws(
    () => serverSideApply(created, configMap({ key: "b" }), cmOpts("other")),
    isConflict('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key'),
  );
  try {
    serverSideApply(created, configMap({ key: "b" }), cmOpts("other"));
  } catch (e) {
    assert.deepEqual((e as PatchError).causes, [
      { reason: "FieldManagerConflict", message: 'conflict with "kubectl-client-side-apply" using v1', field: ".data.key" },
    ]);
  }
  const forced = serverSideApply(created, configMap({ key: "b" }), cmOpts("other", { force: true }));
  assert.deepEqual(forced.object.data, { key: "b" });
  assert.deepEqual(forced.conflicts?.map((c) => c.field), [".data.key"]);
  assert.deepEqual(entry(forced.object, "other")?.fieldsV1, { "f:data": { "f:key": {} } });
  assert.deepEqual(entry(forced.object, "kubectl-client-side-apply", "Update")?.fieldsV1, { "f:data": {} });
});

test("applying the value someone else set shares ownership without conflict", () => {
  const created = updateManagedFields(undefined, stored(configMap({ key: "a", other: "o" })), cmOpts("kubectl-create"));
  const { object } = serverSideApply(created, configMap({ key: "a" }), cmOpts("ci"));
  assert.deepEqual(entry(object, "ci")?.fieldsV1, { "f:data": { "f:key": {} } });
  assert.ok(JSON.stringify(entry(object, "kubectl-create", "Update")?.fieldsV1).includes("f:key"));
  const dropped = serverSideApply(stored(object), configMap({}), cmOpts("ci"));
  assert.deepEqual(dropped.object.data, { key: "a", other: "o" }, "still owned by kubectl-create, so kept");
});

test("two appliers: the field goes only when neither applies it", () => {
  const a = stored(serverSideApply(undefined, configMap({ k: "v" }), cmOpts("a")).object);
  const ab = stored(serverSideApply(a, configMap({ k: "v" }), cmOpts("b")).object);
  const bOnly = stored(serverSideApply(ab, configMap({}), cmOpts("a")).object);
  assert.deepEqual(bOnly.data, { k: "v" });
  const none = serverSideApply(bOnly, configMap({}), cmOpts("b")).object;
  assert.equal(none.data, undefined);
});

test("several conflicts are grouped per manager", () => {
  const created = updateManagedFields(undefined, stored(configMap({ a: "1", b: "2" })), cmOpts("kubectl-create"));
  assert.throws(
    () => serverSideApply(created, configMap({ a: "x", b: "y" }), cmOpts("ci")),
    isConflict('Apply failed with 2 conflicts: conflicts with "kubectl-create" using v1:\n- .data.a\n- .data.b'),
  );
});

test("kubectl upgrading from client-side apply takes over fields that still match last-applied", () => {
  const live = configMap({ key: "a" });
  live.metadata.annotations = { [lastAppliedAnnotation]: JSON.stringify(configMap({ key: "a" })) };
  const created = updateManagedFields(undefined, stored(live), cmOpts("kubectl-client-side-apply"));
  const { object } = serverSideApply(created, configMap({ key: "b" }), cmOpts("kubectl"));
  assert.deepEqual(object.data, { key: "b" });
  assert.deepEqual(entry(object, "kubectl")?.fieldsV1, { "f:data": { "f:key": {} } });
  const annotation = JSON.parse(object.metadata.annotations?.[lastAppliedAnnotation] ?? "{}") as KubeObject;
  assert.deepEqual(annotation.data, { key: "b" }, "kubectl's annotation follows the server-side apply");
  assert.throws(
    () => serverSideApply(created, configMap({ key: "b" }), cmOpts("not-kubectl")),
    isConflict('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key'),
  );
});

test("...but not fields changed since (kubectl edit)", () => {
  const live = configMap({ key: "a" });
  live.metadata.annotations = { [lastAppliedAnnotation]: JSON.stringify(configMap({ key: "a" })) };
  const created = updateManagedFields(undefined, stored(live), cmOpts("kubectl-client-side-apply"));
  const edited = updateManagedFields(created, { ...created, data: { key: "c" } }, cmOpts("kubectl-edit", { now: t1 }));
  assert.throws(
    () => serverSideApply(edited, configMap({ key: "b" }), cmOpts("kubectl")),
    isConflict('Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.key'),
  );
});

test("an object without managedFields belongs to before-first-apply", () => {
  const live = stored(configMap({ key: "a" }));
  assert.throws(
    () => serverSideApply(live, configMap({ key: "b" }), cmOpts("ci")),
    isConflict('Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.key'),
  );
  const { object } = serverSideApply(live, configMap({ key: "a", more: "m" }), cmOpts("ci"));
  assert.deepEqual(object.metadata.managedFields?.map((e) => e.manager), ["ci", "before-first-apply"]);
});

function deployment(containers: KubeObject[], replicas?: number): KubeObject {
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers } },
  };
  if (replicas !== undefined) spec.replicas = replicas;
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" }, spec };
}

test("deployment re-apply removes an env var and a container, changes the image", () => {
  const v1 = deployment(
    [
      { name: "web", image: "nginx:1.27", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }], ports: [{ containerPort: 80 }] } as never,
      { name: "sidecar", image: "busybox" } as never,
    ],
    2,
  );
  const created = stored(serverSideApply(undefined, v1, depOpts("kubectl")).object);
  assert.deepEqual(entry(created, "kubectl")?.fieldsV1, {
    "f:spec": {
      "f:replicas": {},
      "f:selector": {},
      "f:template": {
        "f:metadata": { "f:labels": { "f:app": {} } },
        "f:spec": {
          "f:containers": {
            'k:{"name":"sidecar"}': { ".": {}, "f:image": {}, "f:name": {} },
            'k:{"name":"web"}': {
              ".": {},
              "f:env": {
                'k:{"name":"A"}': { ".": {}, "f:name": {}, "f:value": {} },
                'k:{"name":"B"}': { ".": {}, "f:name": {}, "f:value": {} },
              },
              "f:image": {},
              "f:name": {},
              "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } },
            },
          },
        },
      },
    },
  });
  // defaulting after create, as the apiserver would do
  const live = structuredClone(created);
  const liveSpec = live.spec as { template: { spec: { containers: { ports?: { protocol?: string }[] }[] } } };
  liveSpec.template.spec.containers[0].ports![0].protocol = "TCP";
  const v2 = deployment([{ name: "web", image: "nginx:1.28", env: [{ name: "A", value: "1" }], ports: [{ containerPort: 80 }] } as never], 2);
  const { object } = serverSideApply(live, v2, depOpts("kubectl"));
  const spec = object.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
  assert.deepEqual(spec.template.spec.containers, [
    { name: "web", image: "nginx:1.28", env: [{ name: "A", value: "1" }], ports: [{ containerPort: 80, protocol: "TCP" }] },
  ]);
});

test("kubectl scale (an Update on /scale) then a re-apply of the old replicas conflicts", () => {
  const created = stored(serverSideApply(undefined, deployment([{ name: "web", image: "nginx" } as never], 1), depOpts("kubectl")).object);
  const scaled = updateManagedFields(created, { ...created, spec: { ...(created.spec as object), replicas: 3 } }, {
    ...depOpts("kubectl"),
    subresource: "scale",
  });
  assert.deepEqual(entry(scaled, "kubectl", "Update"), {
    manager: "kubectl",
    operation: "Update",
    apiVersion: "apps/v1",
    time: "2026-11-25T10:00:00Z",
    fieldsType: "FieldsV1",
    fieldsV1: { "f:spec": { "f:replicas": {} } },
    subresource: "scale",
  });
  assert.equal(JSON.stringify(entry(scaled, "kubectl")?.fieldsV1).includes("replicas"), false, "the applier lost replicas");
  assert.throws(
    () => serverSideApply(scaled, deployment([{ name: "web", image: "nginx" } as never], 1), depOpts("kubectl")),
    isConflict('Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas'),
  );
  const { object } = serverSideApply(scaled, deployment([{ name: "web", image: "nginx" } as never]), depOpts("kubectl"));
  assert.equal((object.spec as { replicas: number }).replicas, 3, "leaving replicas out of the config keeps the scaled value");
});

test("status in an applied config is not owned through the main resource", () => {
  const d = deployment([{ name: "web", image: "nginx" } as never]);
  d.status = { replicas: 5 };
  const { object } = serverSideApply(undefined, d, depOpts("ci", { ignoredFields: [["status"]] }));
  assert.equal(JSON.stringify(entry(object, "ci")?.fieldsV1).includes("status"), false);
});

test("request errors: managedFields in the config, wrong version, no manager, duplicate keys", () => {
  const withMf = configMap({});
  withMf.metadata.managedFields = [];
  assert.throws(() => serverSideApply(undefined, withMf, cmOpts("m")), (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === "metadata.managedFields must be nil");
  assert.throws(
    () => serverSideApply(undefined, { ...configMap({}), apiVersion: "v2" }, cmOpts("m")),
    (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === "Incorrect version specified in apply patch. Specified patch version: v2, expected: v1",
  );
  assert.throws(() => serverSideApply(undefined, configMap({}), cmOpts("")), (e: unknown) => e instanceof PatchError && e.code === 422);
  const dup = deployment([{ name: "web", image: "a" } as never, { name: "web", image: "b" } as never]);
  assert.throws(
    () => serverSideApply(undefined, dup, depOpts("m")),
    (e: unknown) => e instanceof PatchError && e.code === 422 && e.message.includes('.spec.template.spec.containers: duplicate entries for key [name="web"]'),
  );
});

test("update on create records the written fields, maps and new list items with '.'", () => {
  const d = stored(deployment([{ name: "web", image: "nginx" } as never], 1));
  d.metadata.labels = { app: "web" };
  const out = updateManagedFields(undefined, d, depOpts("kubectl-create"));
  assert.deepEqual(out.metadata.managedFields, [
    {
      manager: "kubectl-create",
      operation: "Update",
      apiVersion: "apps/v1",
      time: "2026-11-25T10:00:00Z",
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
        "f:spec": {
          "f:replicas": {},
          "f:selector": {},
          "f:template": {
            "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
            "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } } },
          },
        },
      },
    },
  ]);
});

test("update: a no-op keeps entries and times; another manager takes what it changes", () => {
  const created = updateManagedFields(undefined, stored(configMap({ a: "1", b: "2" })), cmOpts("creator"));
  const same = updateManagedFields(created, structuredClone(created), cmOpts("noop", { now: t1 }));
  assert.deepEqual(same.metadata.managedFields, created.metadata.managedFields);
  const changed = updateManagedFields(created, { ...created, data: { a: "9", b: "2" } }, cmOpts("editor", { now: t1 }));
  assert.deepEqual(entry(changed, "editor", "Update")?.fieldsV1, { "f:data": { "f:a": {} } });
  assert.equal(entry(changed, "editor", "Update")?.time, "2026-11-25T11:00:00Z");
  assert.deepEqual(entry(changed, "creator", "Update")?.fieldsV1, { "f:data": { ".": {}, "f:b": {} } });
});

test("update: managedFields [] resets tracking; untracked objects stay untracked; subresources ignore the body's entries", () => {
  const created = updateManagedFields(undefined, stored(configMap({ a: "1" })), cmOpts("creator"));
  const reset = updateManagedFields(created, { ...created, metadata: { ...created.metadata, managedFields: [] } }, cmOpts("x"));
  assert.equal(reset.metadata.managedFields, undefined);
  const untracked = updateManagedFields(reset, { ...reset, data: { a: "2" } }, cmOpts("x"));
  assert.equal(untracked.metadata.managedFields, undefined);
  const bogus = { ...created, metadata: { ...created.metadata, managedFields: [{ manager: "forged", operation: "Update" as const, fieldsV1: { "f:data": {} } }] } };
  const viaStatus = updateManagedFields(created, bogus, cmOpts("status-writer", { subresource: "status" }));
  assert.deepEqual(viaStatus.metadata.managedFields, created.metadata.managedFields);
});

test("more than ten Update managers merge the oldest into ancient-changes", () => {
  let obj = updateManagedFields(undefined, stored(configMap({ k0: "v" })), cmOpts("m0", { now: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)) }));
  for (let i = 1; i <= 11; i++) {
    obj = updateManagedFields(obj, { ...obj, data: { ...(obj.data as object), ["k" + i]: "v" } }, cmOpts("m" + i, { now: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) }));
  }
  const names = obj.metadata.managedFields?.map((e) => e.manager) ?? [];
  assert.equal(names.length, 10);
  assert.ok(names.includes("ancient-changes"));
  assert.ok(!names.includes("m0") && !names.includes("m1") && !names.includes("m2"));
});

test("objects without schema (custom resources) apply with deduced types", () => {
  const cr = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec });
  const opts = { ...cmOpts("ci"), rootRef: undefined, apiVersion: "example.com/v1" };
  const first = stored(serverSideApply(undefined, cr({ size: 1, tags: ["a", "b"], nested: { x: 1, y: 2 } }), opts).object);
  assert.deepEqual(entry(first, "ci")?.fieldsV1, {
    "f:spec": { ".": {}, "f:nested": { ".": {}, "f:x": {}, "f:y": {} }, "f:size": {}, "f:tags": {} },
  });
  const { object } = serverSideApply(first, cr({ size: 2, tags: ["c"], nested: { x: 1 } }), opts);
  assert.deepEqual(object.spec, { size: 2, tags: ["c"], nested: { x: 1 } });
});

test("set lists (finalizers) merge per item and lose items the applier dropped", () => {
  const withFinalizers = (f: string[]): KubeObject => ({ ...configMap({}), metadata: { name: "cfg", namespace: "default", finalizers: f } });
  const first = stored(serverSideApply(undefined, withFinalizers(["a/x", "a/y"]), cmOpts("ci")).object);
  // an empty map in the config is owned as a leaf, as upstream does
  assert.deepEqual(entry(first, "ci")?.fieldsV1, { "f:data": {}, "f:metadata": { "f:finalizers": { 'v:"a/x"': {}, 'v:"a/y"': {} } } });
  const controller = updateManagedFields(first, { ...first, metadata: { ...first.metadata, finalizers: ["a/x", "a/y", "ctrl/z"] } }, cmOpts("controller"));
  const { object } = serverSideApply(controller, withFinalizers(["a/x"]), cmOpts("ci"));
  assert.deepEqual(object.metadata.finalizers, ["a/x", "ctrl/z"]);
});

test("atomic fields (selector) are replaced whole and owned as one leaf", () => {
  const d = deployment([{ name: "web", image: "nginx" } as never]);
  const first = stored(serverSideApply(undefined, d, depOpts("ci")).object);
  const d2 = deployment([{ name: "web", image: "nginx" } as never]);
  (d2.spec as { selector: unknown }).selector = { matchLabels: { app: "web", v: "2" } };
  const { object } = serverSideApply(first, d2, depOpts("ci"));
  assert.deepEqual((object.spec as { selector: unknown }).selector, { matchLabels: { app: "web", v: "2" } });
  assert.deepEqual((entry(object, "ci")?.fieldsV1 as { "f:spec": Record<string, unknown> })["f:spec"]["f:selector"], {});
});

test("a no-op re-apply keeps the applier's time", () => {
  const first = stored(serverSideApply(undefined, configMap({ a: "1" }), cmOpts("ci")).object);
  const again = serverSideApply(first, configMap({ a: "1" }), cmOpts("ci", { now: t1 })).object;
  assert.equal(entry(again, "ci")?.time, "2026-11-25T10:00:00Z");
});

// Cases below follow structured-merge-diff's own fixtures (merge/set_test.go,
// merge/multiple_appliers_test.go) on a tiny schema of their shape.
const fixtureSchemas = {
  Fixture: {
    type: "object" as const,
    properties: {
      apiVersion: { type: "string" as const },
      kind: { type: "string" as const },
      metadata: { type: "object" as const, properties: { name: { type: "string" as const } } },
      list: { type: "array" as const, items: { type: "string" as const }, listType: "set" as const },
      listOfLists: {
        type: "array" as const,
        items: { ref: "Item" },
        listType: "map" as const,
        listMapKeys: ["name"],
      },
    },
  },
  Item: {
    type: "object" as const,
    properties: { name: { type: "string" as const }, value: { type: "array" as const, items: { type: "string" as const }, listType: "set" as const } },
  },
};
const fx = (manager: string): ApplyOptions => ({ manager, schemas: fixtureSchemas, rootRef: "Fixture", apiVersion: "v1", now: t0 });
const fxObj = (body: Record<string, unknown>): KubeObject => ({ apiVersion: "v1", kind: "Fixture", metadata: { name: "f" }, ...body });
const fieldsOf = (obj: KubeObject, manager: string, op = "Apply") => entry(obj, manager, op)?.fieldsV1;

test("smd fixture apply_update_apply_no_overlap: set items interleave and ownership splits", () => {
  let obj = serverSideApply(undefined, fxObj({ list: ["a", "c"] }), fx("default")).object;
  obj = updateManagedFields(obj, { ...obj, list: ["a", "b", "c", "d"] }, fx("controller"));
  obj = serverSideApply(obj, fxObj({ list: ["a", "aprime", "c", "cprime"] }), fx("default")).object;
  assert.deepEqual(obj.list, ["a", "b", "aprime", "c", "d", "cprime"]);
  assert.deepEqual(fieldsOf(obj, "default"), { "f:list": { 'v:"a"': {}, 'v:"aprime"': {}, 'v:"c"': {}, 'v:"cprime"': {} } });
  assert.deepEqual(fieldsOf(obj, "controller", "Update"), { "f:list": { 'v:"b"': {}, 'v:"d"': {} } });
});

test("smd fixture remove_one_keep_one_with_dangling_subitem: an item another applier owns stays", () => {
  let obj = serverSideApply(undefined, fxObj({ listOfLists: [{ name: "a" }, { name: "b", value: ["c"] }] }), fx("apply-one")).object;
  obj = serverSideApply(obj, fxObj({ listOfLists: [{ name: "b", value: ["d"] }] }), fx("apply-two")).object;
  obj = updateManagedFields(obj, { ...obj, listOfLists: [{ name: "a" }, { name: "b", value: ["c", "d", "e"] }] }, fx("controller"));
  obj = serverSideApply(obj, fxObj({ listOfLists: [{ name: "a" }] }), fx("apply-one")).object;
  assert.deepEqual(obj.listOfLists, [{ name: "a" }, { name: "b", value: ["d", "e"] }]);
  assert.deepEqual(fieldsOf(obj, "controller", "Update"), { "f:listOfLists": { 'k:{"name":"b"}': { "f:value": { 'v:"e"': {} } } } });
});

test("smd fixture remove_one_with_dangling_subitem_keep_one: an item only an updater touched goes", () => {
  let obj = serverSideApply(undefined, fxObj({ listOfLists: [{ name: "a" }, { name: "b", value: ["c"] }] }), fx("apply-one")).object;
  obj = serverSideApply(obj, fxObj({ listOfLists: [{ name: "a", value: ["b"] }] }), fx("apply-two")).object;
  obj = updateManagedFields(obj, { ...obj, listOfLists: [{ name: "a", value: ["b"] }, { name: "b", value: ["c", "d"] }] }, fx("controller"));
  obj = serverSideApply(obj, fxObj({ listOfLists: [{ name: "a" }] }), fx("apply-one")).object;
  assert.deepEqual(obj.listOfLists, [{ name: "a", value: ["b"] }]);
  assert.equal(fieldsOf(obj, "controller", "Update"), undefined, "the controller's only field went with the item");
});

test("smd fixture mapOfMaps_change_key_and_value: swapping a map key keeps the new entry whole", () => {
  const labelsOf = (o: KubeObject) => o.metadata.annotations;
  const withAnnotations = (a: Record<string, string>): KubeObject => ({ ...configMap({}), metadata: { name: "cfg", namespace: "default", annotations: a } });
  const first = stored(serverSideApply(undefined, withAnnotations({ a: "x", c: "y" }), cmOpts("m")).object);
  const { object } = serverSideApply(first, withAnnotations({ b: "x", d: "z" }), cmOpts("m"));
  assert.deepEqual(labelsOf(object), { b: "x", d: "z" });
  const cr = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec });
  const opts = { ...cmOpts("m"), rootRef: undefined, apiVersion: "example.com/v1" };
  const one = stored(serverSideApply(undefined, cr({ m: { a: { b: "x", c: "y" } } }), opts).object);
  const two = serverSideApply(one, cr({ m: { b: { a: "x", c: "z" } } }), opts).object;
  assert.deepEqual(two.spec, { m: { b: { a: "x", c: "z" } } });
});

test("smd fixture struct_apply_update_dict_null: null over a struct keeps what others own", () => {
  const d = (template: unknown): KubeObject => ({ ...deployment([]), spec: { template } });
  let obj = serverSideApply(undefined, d({ metadata: { labels: { a: "1" } } }), depOpts("default")).object;
  obj = updateManagedFields(obj, d({ metadata: { labels: { a: "1", b: "2" } } }), depOpts("controller"));
  obj = serverSideApply(obj, d({ metadata: null }), depOpts("default")).object;
  assert.deepEqual((obj.spec as { template: unknown }).template, { metadata: { labels: { b: "2" } } });
});

test("smd fixture apply_update_duplicates_apply_without: duplicated env entries another writer made survive", () => {
  const withEnv = (env: { name: string; value: string }[]) => deployment([{ name: "web", image: "nginx", env } as never]);
  const envOf = (o: KubeObject) => (o.spec as { template: { spec: { containers: { env: unknown[] }[] } } }).template.spec.containers[0].env;
  let obj = stored(serverSideApply(undefined, withEnv([{ name: "A", value: "1" }, { name: "B", value: "3" }]), depOpts("ci")).object);
  const dup = [{ name: "A", value: "1" }, { name: "A", value: "2" }, { name: "B", value: "3" }];
  obj = updateManagedFields(obj, withEnv(dup), depOpts("kubectl-edit"));
  assert.deepEqual(
    (fieldsOf(obj, "kubectl-edit", "Update") as Record<string, Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>>)["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"web"}'],
    { "f:env": { 'k:{"name":"A"}': {} } },
    "a duplicated key is owned as one opaque item",
  );
  assert.throws(
    () => serverSideApply(obj, withEnv([{ name: "A", value: "9" }, { name: "B", value: "3" }]), depOpts("ci")),
    isConflict('Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.template.spec.containers[name="web"].env[name="A"]'),
  );
  const { object } = serverSideApply(obj, withEnv([{ name: "B", value: "3" }]), depOpts("ci"));
  assert.deepEqual(envOf(object), dup);
  const forced = serverSideApply(obj, withEnv([{ name: "A", value: "9" }, { name: "B", value: "3" }]), depOpts("ci", { force: true })).object;
  assert.deepEqual(envOf(forced), [{ name: "A", value: "9" }, { name: "B", value: "3" }], "the config's entry replaces the duplicates");
});
