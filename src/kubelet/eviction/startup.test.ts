/**
 * --kubelet-arg reaches the eviction flags at agent start-up: a malformed
 * threshold refuses to start (before containerd runs) with an error naming
 * the flag and the value.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startAgent } from "../../agent/run.ts";
import type { Client } from "../../client/mod.ts";
import type { AgentConfig } from "../../server/config.ts";

test("a malformed eviction-hard in --kubelet-arg is a start-up error naming it", async () => {
  const config = { nodeName: "n", nodeLabels: [], nodeTaints: [], kubeletArgs: ["max-pods=50", "eviction-hard=memory.available<lots"] } as unknown as AgentConfig;
  await assert.rejects(
    startAgent(config, { client: {} as Client, controlPlane: false, kubeletTLS: { certPEM: "", keyPEM: "", clientCAPEM: "" } }),
    /invalid kubelet argument eviction-hard: memory.available has a malformed quantity "lots"/,
  );
});
