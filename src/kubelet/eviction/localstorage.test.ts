/**
 * Local storage limits in upstream's order and words: a disk emptyDir over
 * its sizeLimit, then the pod over its containers' summed
 * ephemeral-storage limits, then one container over its own.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KPod } from "../types.ts";
import { localStorageViolation } from "./localstorage.ts";
import type { PodUsage } from "./ranking.ts";

const Mi = 1024 * 1024;

function pod(limits: (string | undefined)[], volumes: KPod["spec"]["volumes"] = []): KPod {
  return {
    metadata: { name: "p", namespace: "default", uid: "u" },
    spec: { containers: limits.map((l, i) => ({ name: `c${i}`, resources: l ? { limits: { "ephemeral-storage": l } } : undefined })), volumes },
  } as KPod;
}

function usage(perContainer: [number, number][], volumes: [string, number][] = []): PodUsage {
  return { memory: 0, containers: perContainer.map(([rootfs, logs], i) => ({ name: `c${i}`, memory: 0, rootfs, logs })), volumes: new Map(volumes), processes: 0 };
}

test("emptyDir first, memory-backed ones skipped, a zero or absent sizeLimit never", () => {
  const p = pod([undefined], [{ name: "mem", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }, { name: "disk", emptyDir: { sizeLimit: "1Mi" } }, { name: "free", emptyDir: {} }]);
  assert.equal(localStorageViolation(p, usage([[0, 0]], [["mem", 5 * Mi], ["disk", 2 * Mi], ["free", 50 * Mi]])), 'Usage of EmptyDir volume "disk" exceeds the limit "1Mi". ');
  assert.equal(localStorageViolation(p, usage([[0, 0]], [["disk", 1 * Mi]])), undefined, "at the limit is not over it");
});

test("the pod's total before one container's own limit", () => {
  const p = pod(["4Mi", "2Mi"]);
  assert.equal(localStorageViolation(p, usage([[3 * Mi, 0], [2 * Mi, 2 * Mi]])), "Pod ephemeral local storage usage exceeds the total limit of containers 6Mi. ");
  assert.equal(localStorageViolation(p, usage([[1 * Mi, 0], [2 * Mi, 1 * Mi]])), 'Container c1 exceeded its local ephemeral storage limit "2Mi". ');
  assert.equal(localStorageViolation(p, usage([[1 * Mi, 0], [1 * Mi, 1 * Mi]])), undefined);
  assert.equal(localStorageViolation(pod([undefined]), usage([[50 * Mi, 50 * Mi]])), undefined, "no limits, no eviction");
});
