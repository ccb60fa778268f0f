// Checks chainAdmission: every mutate in list order before any validate in
// list order, and the first refusal stops the rest of its phase.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { chainAdmission } from "./chain.ts";

function recorder(name: string, log: string[], failOn?: "mutate" | "validate"): AdmissionHook {
  return {
    async mutate() {
      log.push(`${name}.mutate`);
      if (failOn === "mutate") throw new Error(`${name} refused`);
    },
    async validate() {
      log.push(`${name}.validate`);
      if (failOn === "validate") throw new Error(`${name} refused`);
    },
  };
}

const attrs = {} as AdmissionAttributes;

test("mutating phases run in order, then validating phases in order", async () => {
  const log: string[] = [];
  const chain = chainAdmission([recorder("a", log), recorder("b", log)]);
  await chain.mutate(attrs);
  await chain.validate(attrs);
  assert.deepEqual(log, ["a.mutate", "b.mutate", "a.validate", "b.validate"]);
});

test("a refusal stops the members after it", async () => {
  const log: string[] = [];
  const chain = chainAdmission([recorder("a", log, "validate"), recorder("b", log)]);
  await chain.mutate(attrs);
  await assert.rejects(chain.validate(attrs), /a refused/);
  assert.deepEqual(log, ["a.mutate", "b.mutate", "a.validate"]);
});
