/** Node and pod (anti-)affinity rules: operators and their values, matchFields, weights, topology keys, label key lists. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateAffinity } from "./affinity.ts";
import { lines } from "./testutil.ts";

test("common affinities are valid", () => {
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }, { key: "gpu-count", operator: "Gt", values: ["1"] }] }, { matchFields: [{ key: "metadata.name", operator: "In", values: ["node-1"] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["not a label value!"] }] } }],
    },
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "web" } }, topologyKey: "kubernetes.io/hostname", matchLabelKeys: ["pod-template-hash"] }],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: "app", operator: "Exists" }] }, namespaces: ["prod"], topologyKey: "topology.kubernetes.io/zone" } }],
    },
  };
  assert.deepEqual(validateAffinity(affinity, "spec.affinity"), []);
});

test("node affinity: empty required terms, operators with the wrong value count, matchFields, weights", () => {
  assert.deepEqual(lines(validateAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }, "a")), [
    "a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term",
  ]);
  const terms = [{
    matchExpressions: [
      { key: "a", operator: "In" }, { key: "b", operator: "Exists", values: ["x"] }, { key: "c", operator: "Lt", values: ["1", "2"] },
      { key: "d", operator: "Like", values: ["x"] }, { key: "e", operator: "In", values: ["bad value"] },
    ],
    matchFields: [{ key: "metadata.labels", operator: "In", values: ["n"] }, { key: "metadata.name", operator: "Exists" }],
  }];
  const na = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms }, preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] };
  const p = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]";
  assert.deepEqual(lines(validateAffinity({ nodeAffinity: na }, "spec.affinity")), [
    `${p}.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
    `${p}.matchExpressions[1].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
    `${p}.matchExpressions[2].values: Required value: must be specified single value when \`operator\` is 'Lt' or 'Gt'`,
    `${p}.matchExpressions[3].operator: Invalid value: "Like": not a valid selector operator`,
    `${p}.matchExpressions[4].values[0]: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    `${p}.matchFields[0].key: Invalid value: "metadata.labels": not a valid field selector key`,
    `${p}.matchFields[1].operator: Invalid value: "Exists": not a valid selector operator`,
    "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
  ]);
});

test("pod affinity terms: topologyKey, selectors, namespaces, matchLabelKeys and mismatchLabelKeys", () => {
  const pa = {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { labelSelector: { matchExpressions: [{ key: "app", operator: "In" }] }, namespaces: ["Bad_NS"] },
      { topologyKey: "zone", matchLabelKeys: ["x"] },
      { labelSelector: { matchLabels: { app: "a" } }, topologyKey: "zone", matchLabelKeys: ["k"], mismatchLabelKeys: ["k"] },
    ],
    preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: "bad key!" } }],
  };
  const p = "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution";
  assert.deepEqual(lines(validateAffinity({ podAffinity: pa }, "spec.affinity")), [
    `${p}[0].labelSelector.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
    `${p}[0].namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    `${p}[0].topologyKey: Required value: can not be empty`,
    `${p}[0].topologyKey: Invalid value: "": name part must be non-empty`,
    `${p}[1].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set`,
    `${p}[2].matchLabelKeys[0]: Invalid value: "k": exists in both matchLabelKeys and mismatchLabelKeys`,
    "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100",
    `spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  ]);
});
