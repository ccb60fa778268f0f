/**
 * --kubelet-arg reaches the eviction flags at agent start-up: k3s's own
 * defaults (imagefs/nodefs 5%, 10% minimum reclaim, no memory threshold),
 * each replaced by a kubelet arg of the same name; a malformed threshold
 * refuses to start (before containerd runs) with an error naming it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { kubeletEvictionConfig, startAgent } from "../../agent/run.ts";
import type { Client } from "../../client/mod.ts";
import type { AgentConfig } from "../../server/config.ts";

test("a malformed eviction-hard in --kubelet-arg is a start-up error naming it", async () => {
  const config = { nodeName: "n", nodeLabels: [], nodeTaints: [], kubeletArgs: ["max-pods=50", "eviction-hard=memory.available<lots"] } as unknown as AgentConfig;
  await assert.rejects(
    startAgent(config, { client: {} as Client, controlPlane: false, kubeletTLS: { certPEM: "", keyPEM: "", clientCAPEM: "" } }),
    /invalid kubelet argument eviction-hard: memory.available has a malformed quantity "lots"/,
  );
});

test("k3s's eviction defaults, replaced flag by flag by --kubelet-arg", () => {
  const show = (args: string[]): string[][] =>
    kubeletEvictionConfig(args).thresholds.map((t) => [t.signal, t.value.quantity?.text ?? `${Math.round((t.value.percentage ?? 0) * 100)}%`, `${Math.round((t.minReclaim?.percentage ?? 0) * 100)}%`]);
  assert.deepEqual(show(["max-pods=50"]), [
    ["imagefs.available", "5%", "10%"],
    ["nodefs.available", "5%", "10%"],
  ]);
  assert.deepEqual(show(["eviction-hard=memory.available<200Mi,nodefs.available<7%"]), [
    ["memory.available", "200Mi", "0%"],
    ["nodefs.available", "7%", "10%"],
  ]);
});
