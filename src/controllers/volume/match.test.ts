import { test } from "node:test";
import assert from "node:assert/strict";
import { bestMatch, pvFits, type PersistentVolume, type PersistentVolumeClaim } from "./match.ts";

const pv = (name: string, size: string, extra: Partial<PersistentVolume["spec"]> = {}, labels?: Record<string, string>): PersistentVolume => ({
  metadata: { name, labels },
  spec: { capacity: { storage: size }, accessModes: ["ReadWriteOnce"], ...extra },
  status: { phase: "Available" },
});
const pvc: PersistentVolumeClaim = { metadata: { name: "data", namespace: "default", uid: "u1" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } };

test("the smallest fitting available volume wins; class, modes, size and selector must match", () => {
  const vols = [pv("big", "10Gi"), pv("small", "2Gi"), pv("tiny", "500Mi"), pv("rox", "1Gi", { accessModes: ["ReadOnlyMany"] }), pv("fast", "1Gi", { storageClassName: "fast" })];
  assert.equal(bestMatch(vols, pvc)?.metadata.name, "small");
  assert.equal(pvFits(vols[3], pvc), false);
  assert.equal(pvFits(vols[4], pvc), false);
  const picky = { ...pvc, spec: { ...pvc.spec, selector: { matchLabels: { tier: "gold" } } } };
  assert.equal(bestMatch([...vols, pv("gold", "5Gi", {}, { tier: "gold" })], picky)?.metadata.name, "gold");
});

test("a volume pre-bound to the claim is taken even if a smaller one exists; bound volumes are skipped", () => {
  const pre = pv("pre", "5Gi", { claimRef: { namespace: "default", name: "data" } });
  const taken = pv("taken", "1Gi", { claimRef: { namespace: "default", name: "other", uid: "u2" } });
  assert.equal(bestMatch([taken, pv("small", "2Gi"), pre], pvc)?.metadata.name, "pre");
  assert.equal(bestMatch([taken], pvc), undefined);
});
