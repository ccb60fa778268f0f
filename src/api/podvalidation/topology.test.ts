/** topologySpreadConstraints rules: maxSkew, topologyKey, whenUnsatisfiable, minDomains, policies, duplicates, matchLabelKeys. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateTopologySpreadConstraints } from "./topology.ts";
import { lines } from "./testutil.ts";

test("a zone and a hostname spread are valid", () => {
  const list = [
    { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", minDomains: 3, labelSelector: { matchLabels: { app: "web" } }, matchLabelKeys: ["pod-template-hash"], nodeAffinityPolicy: "Honor" },
    { maxSkew: 2, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", nodeTaintsPolicy: "Ignore" },
  ];
  assert.deepEqual(validateTopologySpreadConstraints(list, "spec.topologySpreadConstraints"), []);
});

test("each rule is reported with upstream's path and words", () => {
  const list = [
    { maxSkew: 0, whenUnsatisfiable: "Sometimes", minDomains: 0, nodeAffinityPolicy: "Maybe" },
    { maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway", minDomains: 2, matchLabelKeys: ["app"], labelSelector: { matchLabels: { app: "x" } } },
    { maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway", matchLabelKeys: ["app"] },
  ];
  const p = "spec.topologySpreadConstraints";
  assert.deepEqual(lines(validateTopologySpreadConstraints(list, p)), [
    `${p}[0].maxSkew: Invalid value: 0: must be greater than zero`,
    `${p}[0].topologyKey: Required value: can not be empty`,
    `${p}[0].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"`,
    `${p}[0].minDomains: Invalid value: 0: must be greater than zero`,
    `${p}[0].minDomains: Invalid value: 0: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not Sometimes`,
    `${p}[0].nodeAffinityPolicy: Unsupported value: "Maybe": supported values: "Honor", "Ignore"`,
    `${p}[1].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, ScheduleAnyway}"`,
    `${p}[1].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway`,
    `${p}[1].matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector`,
    `${p}[2].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set`,
  ]);
});
