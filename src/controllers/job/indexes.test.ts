import { test } from "node:test";
import assert from "node:assert/strict";
import { formatIndexes, parseIndexes } from "./indexes.ts";
import { matchFailurePolicy, type Job } from "./job.ts";
import type { Pod } from "../../client/types.ts";

test("completed indexes format as ranges and parse back", () => {
  assert.equal(formatIndexes([5, 0, 1, 2, 7, 8]), "0-2,5,7-8");
  assert.equal(formatIndexes([]), "");
  assert.deepEqual([...parseIndexes("0-2,5,7-8")], [0, 1, 2, 5, 7, 8]);
});

test("podFailurePolicy: exit codes and pod conditions pick the rule", () => {
  const job = {
    metadata: {},
    spec: {
      template: { spec: { containers: [] } },
      podFailurePolicy: {
        rules: [
          { action: "FailJob", onExitCodes: { operator: "In", values: [42] } },
          { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] },
        ],
      },
    },
  } as unknown as Job;
  const failed = (code: number, cond?: string): Pod => ({
    metadata: {},
    spec: { containers: [] },
    status: { phase: "Failed", containerStatuses: [{ name: "c", ready: false, restartCount: 0, state: { terminated: { exitCode: code } } }], conditions: cond ? [{ type: cond, status: "True" }] : [] },
  });
  assert.equal(matchFailurePolicy(job, failed(42))?.action, "FailJob");
  assert.equal(matchFailurePolicy(job, failed(1, "DisruptionTarget"))?.action, "Ignore");
  assert.equal(matchFailurePolicy(job, failed(1)), undefined);
});
