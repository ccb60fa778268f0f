// Checks strategic merge patch against the patches kubectl really sends
// (client-side re-apply, set image, rollout restart, cordon-like) and each
// directive: $patch replace/delete/merge, $setElementOrder, $retainKeys,
// $deleteFromPrimitiveList, primitive merge lists, null deletion, atomic lists.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PatchError, applyStrategicMergePatch } from "./mod.ts";
import { testSchemas } from "./testdata.ts";

const dep = { schemas: testSchemas, rootRef: "io.k8s.api.apps.v1.Deployment" };

interface Container {
  name: string;
  image?: string;
  env?: { name: string; value?: string }[];
  ports?: { containerPort: number; protocol?: string }[];
  args?: string[];
}
interface Deployment {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  spec: {
    replicas?: number;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: string; maxUnavailable?: string } };
    template: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: {
        containers: Container[];
        volumes?: Record<string, unknown>[];
        tolerations?: Record<string, unknown>[];
        terminationGracePeriodSeconds?: number;
      };
    };
  };
  extra?: unknown;
}

function deployment(): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { app: "web" }, finalizers: ["a/one", "a/two"] },
    spec: {
      replicas: 1,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "web",
              image: "nginx:1.27",
              env: [
                { name: "A", value: "1" },
                { name: "B", value: "2" },
              ],
              ports: [{ containerPort: 80, protocol: "TCP" }],
              args: ["-x", "-y"],
            },
            { name: "sidecar", image: "busybox" },
          ],
          volumes: [{ name: "data", emptyDir: {} }],
          tolerations: [{ key: "k1", operator: "Exists" }],
          terminationGracePeriodSeconds: 30,
        },
      },
    },
  };
}

const smp = (doc: Deployment, patch: unknown): Deployment => applyStrategicMergePatch(doc, patch, dep);

test("kubectl client-side re-apply: env B removed, C added, image changed", () => {
  const patch = {
    metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } },
    spec: {
      template: {
        spec: {
          "$setElementOrder/containers": [{ name: "web" }, { name: "sidecar" }],
          containers: [
            {
              "$setElementOrder/env": [{ name: "A" }, { name: "C" }],
              env: [{ name: "C", value: "3" }, { $patch: "delete", name: "B" }],
              image: "nginx:1.28",
              name: "web",
            },
          ],
        },
      },
    },
  };
  const out = smp(deployment(), patch);
  const web = out.spec.template.spec.containers[0];
  assert.equal(web.image, "nginx:1.28");
  assert.deepEqual(web.env, [
    { name: "A", value: "1" },
    { name: "C", value: "3" },
  ]);
  assert.deepEqual(web.ports, [{ containerPort: 80, protocol: "TCP" }], "untouched fields stay");
  assert.deepEqual(out.spec.template.spec.containers.map((c) => c.name), ["web", "sidecar"]);
  assert.equal(out.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"], "{}");
  assert.ok(!JSON.stringify(out).includes("$"), "no directive survives");
});

test("kubectl set image patches one container by name", () => {
  const out = smp(deployment(), {
    spec: { template: { spec: { "$setElementOrder/containers": [{ name: "web" }, { name: "sidecar" }], containers: [{ image: "busybox:1.36", name: "sidecar" }] } } },
  });
  assert.deepEqual(out.spec.template.spec.containers.map((c) => c.image), ["nginx:1.27", "busybox:1.36"]);
});

test("kubectl rollout restart adds a template annotation", () => {
  const at = "2026-11-25T17:00:00Z";
  const out = smp(deployment(), { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": at } } } } });
  assert.deepEqual(out.spec.template.metadata?.annotations, { "kubectl.kubernetes.io/restartedAt": at });
  assert.deepEqual(out.spec.template.metadata?.labels, { app: "web" });
});

test("a new list item is appended; setElementOrder reorders", () => {
  const out = smp(deployment(), {
    spec: {
      template: {
        spec: {
          "$setElementOrder/containers": [{ name: "init" }, { name: "sidecar" }, { name: "web" }],
          containers: [{ name: "init", image: "alpine" }],
        },
      },
    },
  });
  assert.deepEqual(out.spec.template.spec.containers.map((c) => c.name), ["init", "sidecar", "web"]);
});

test("without setElementOrder a new item goes first, as upstream's order normalisation puts it", () => {
  const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: "extra", image: "x" }] } } } });
  assert.deepEqual(out.spec.template.spec.containers.map((c) => c.name), ["extra", "web", "sidecar"]);
});

test("$patch: delete removes a list item; $patch: replace replaces a list", () => {
  const del = smp(deployment(), { spec: { template: { spec: { containers: [{ name: "sidecar", $patch: "delete" }] } } } });
  assert.deepEqual(del.spec.template.spec.containers.map((c) => c.name), ["web"]);
  const rep = smp(deployment(), {
    spec: { template: { spec: { containers: [{ name: "only", image: "x" }, { $patch: "replace" }] } } },
  });
  assert.deepEqual(rep.spec.template.spec.containers, [{ name: "only", image: "x" }]);
});

test("$patch: replace and delete on maps", () => {
  const rep = smp(deployment(), { spec: { strategy: { $patch: "replace", type: "Recreate" } } });
  assert.deepEqual(rep.spec.strategy, { type: "Recreate" });
  const del = smp(deployment(), { metadata: { labels: { $patch: "delete" } } });
  assert.deepEqual(del.metadata.labels, {});
});

test("$patch: merge in a list and unknown directives are 400s", () => {
  for (const patch of [
    { spec: { template: { spec: { containers: [{ $patch: "merge" }] } } } },
    { spec: { template: { spec: { containers: [{ name: "web", $patch: "explode" }] } } } },
    { metadata: { labels: { $patch: "explode" } } },
  ]) {
    assert.throws(() => smp(deployment(), patch), (e: unknown) => e instanceof PatchError && e.code === 400, JSON.stringify(patch));
  }
});

test("$retainKeys on a retainKeys field switches the strategy type cleanly", () => {
  const out = smp(deployment(), { spec: { strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: null } } });
  assert.deepEqual(out.spec.strategy, { type: "Recreate" });
});

test("$retainKeys in a merge,retainKeys list item swaps a volume source", () => {
  const out = smp(deployment(), {
    spec: { template: { spec: { volumes: [{ $retainKeys: ["configMap", "name"], configMap: { name: "cfg" }, name: "data" }] } } },
  });
  assert.deepEqual(out.spec.template.spec.volumes, [{ name: "data", configMap: { name: "cfg" } }]);
});

test("a patched key missing from $retainKeys is a 400", () => {
  assert.throws(
    () => smp(deployment(), { spec: { strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: { maxSurge: "1" } } } }),
    (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === "invalid patch format of retainKeys",
  );
});

test("finalizers merge as a set; $deleteFromPrimitiveList removes; setElementOrder orders primitives", () => {
  const merged = smp(deployment(), { metadata: { finalizers: ["a/two", "a/three"] } });
  assert.deepEqual(merged.metadata.finalizers, ["a/one", "a/two", "a/three"]);
  const deleted = smp(deployment(), { metadata: { "$deleteFromPrimitiveList/finalizers": ["a/one"] } });
  assert.deepEqual(deleted.metadata.finalizers, ["a/two"]);
  const ordered = smp(deployment(), {
    metadata: { "$setElementOrder/finalizers": ["a/two", "a/one", "a/zero"], finalizers: ["a/zero"] },
  });
  assert.deepEqual(ordered.metadata.finalizers, ["a/two", "a/one", "a/zero"]);
});

test("lists without merge strategy (args, tolerations) are replaced whole", () => {
  const out = smp(deployment(), {
    spec: { template: { spec: { tolerations: [{ key: "k2", operator: "Exists" }], containers: [{ name: "web", args: ["-z"] }] } } },
  });
  assert.deepEqual(out.spec.template.spec.tolerations, [{ key: "k2", operator: "Exists" }]);
  assert.deepEqual(out.spec.template.spec.containers[0].args, ["-z"]);
});

test("null deletes a key, nested too; nulls in new values are dropped", () => {
  const out = smp(deployment(), {
    spec: { replicas: null, template: { spec: { terminationGracePeriodSeconds: null } } },
    metadata: { annotations: { a: "1", b: null } },
  });
  assert.equal(out.spec.replicas, undefined);
  assert.equal(out.spec.template.spec.terminationGracePeriodSeconds, undefined);
  assert.deepEqual(out.metadata.annotations, { a: "1" });
});

test("container ports merge by containerPort", () => {
  const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: "web", ports: [{ containerPort: 443 }] }] } } } });
  assert.deepEqual(out.spec.template.spec.containers[0].ports, [{ containerPort: 443 }, { containerPort: 80, protocol: "TCP" }]);
});

test("fields without schema merge maps and replace lists (merge-patch semantics)", () => {
  const doc = { ...deployment(), extra: { m: { a: 1, b: 2 }, l: [1, 2] } };
  const out = smp(doc, { extra: { m: { b: 3, c: 4 }, l: [3] } });
  assert.deepEqual(out.extra, { m: { a: 1, b: 3, c: 4 }, l: [3] });
  const untyped = applyStrategicMergePatch({ spec: { l: [{ name: "a" }], m: { x: 1 } } }, { spec: { l: [{ name: "b" }], m: { y: 2 } } }, {
    schemas: {},
    rootRef: undefined,
  });
  assert.deepEqual(untyped, { spec: { l: [{ name: "b" }], m: { x: 1, y: 2 } } });
});

test("a merge-list item without its merge key is a 400", () => {
  assert.throws(
    () => smp(deployment(), { spec: { template: { spec: { containers: [{ image: "x" }] } } } }),
    (e: unknown) => e instanceof PatchError && e.code === 400 && /does not contain declared merge key: name/.test(e.message),
  );
});

test("a list of lists in a merge list is a 422", () => {
  assert.throws(
    () => smp(deployment(), { metadata: { finalizers: [["x"]] } }),
    (e: unknown) => e instanceof PatchError && e.code === 422,
  );
});

test("a setElementOrder list that contradicts the patch order is a 400", () => {
  assert.throws(
    () =>
      smp(deployment(), {
        spec: { template: { spec: { "$setElementOrder/containers": [{ name: "web" }], containers: [{ name: "sidecar", image: "y" }] } } },
      }),
    (e: unknown) => e instanceof PatchError && e.code === 400,
  );
});

test("the input object is not modified", () => {
  const doc = deployment();
  smp(doc, { spec: { template: { spec: { containers: [{ name: "web", $patch: "delete" }] } } } });
  assert.deepEqual(doc, deployment());
});
