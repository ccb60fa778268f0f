import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod, Taint } from "../../client/types.ts";
import { evictionTime } from "./nodelifecycle.ts";
import { NOT_READY, UNREACHABLE, reconcileTaints, taintsForPressure, taintsForReady } from "./taints.ts";

const pod = (tolerations: Pod["spec"]["tolerations"]): Pod => ({ metadata: { name: "p" }, spec: { containers: [], tolerations } });

test("Ready drives the taints; timeAdded of a kept taint is preserved", () => {
  assert.deepEqual(taintsForReady({ type: "Ready", status: "True" }), []);
  assert.deepEqual(taintsForReady({ type: "Ready", status: "False" }).map((t) => t.key), [NOT_READY, NOT_READY]);
  assert.deepEqual(taintsForReady(undefined).map((t) => `${t.key}:${t.effect}`), [`${UNREACHABLE}:NoSchedule`, `${UNREACHABLE}:NoExecute`]);
  const current: Taint[] = [{ key: "custom", effect: "NoSchedule" }, { key: UNREACHABLE, effect: "NoExecute", timeAdded: "2020-01-01T00:00:00Z" }];
  const out = reconcileTaints(current, taintsForReady({ type: "Ready", status: "Unknown" }));
  assert.deepEqual(out, [
    { key: "custom", effect: "NoSchedule" },
    { key: UNREACHABLE, effect: "NoSchedule" },
    { key: UNREACHABLE, effect: "NoExecute", timeAdded: "2020-01-01T00:00:00Z" },
  ]);
  assert.deepEqual(reconcileTaints(out, []), [{ key: "custom", effect: "NoSchedule" }]);
});

test("pressure conditions that are True taint the node NoSchedule; the taints go when they turn False or Unknown", () => {
  const conds = [
    { type: "Ready", status: "True" as const },
    { type: "MemoryPressure", status: "True" as const },
    { type: "DiskPressure", status: "False" as const },
    { type: "PIDPressure", status: "True" as const },
  ];
  const wanted = taintsForPressure(conds);
  assert.deepEqual(wanted, [
    { key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule" },
    { key: "node.kubernetes.io/pid-pressure", effect: "NoSchedule" },
  ]);
  const tainted = reconcileTaints([{ key: "custom", effect: "NoSchedule" }], wanted);
  assert.equal(tainted.length, 3);
  const unknown = conds.map((c) => ({ ...c, status: "Unknown" as const }));
  assert.deepEqual(reconcileTaints(tainted, taintsForPressure(unknown)), [{ key: "custom", effect: "NoSchedule" }]);
});

test("eviction: untolerated now, tolerationSeconds later, plain toleration never", () => {
  const added = "2024-01-01T00:00:00Z";
  const taints: Taint[] = [{ key: UNREACHABLE, effect: "NoExecute", timeAdded: added }];
  assert.equal(evictionTime(pod(undefined), taints), 0);
  assert.equal(evictionTime(pod([{ key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }]), taints), Date.parse(added) + 300_000);
  assert.equal(evictionTime(pod([{ operator: "Exists" }]), taints), undefined);
});
