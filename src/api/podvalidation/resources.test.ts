/** Resource requirements: names, quantities, request <= limit, extended resources and huge pages. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateResources } from "./resources.ts";
import { lines } from "./testutil.ts";

test("ordinary, extended and huge page resources are valid", () => {
  const res = { requests: { cpu: "250m", memory: "64Mi", "ephemeral-storage": "1Gi", "nvidia.com/gpu": 1, "hugepages-2Mi": "4Mi" }, limits: { cpu: 1, memory: "128Mi", "nvidia.com/gpu": "1", "hugepages-2Mi": "4Mi" } };
  assert.deepEqual(validateResources(res, "r"), []);
});

test("names, quantities and limits as upstream words them", () => {
  const r = "spec.containers[0].resources";
  const res = {
    limits: { cpu: "500m", pods: "1", foo: "1", "example.com/gpu": "1.5", "hugepages-2Mi": "3Mi" },
    requests: { cpu: "1", memory: "-1", "example.com/fpga": "1", "hugepages-2Mi": "2Mi" },
  };
  assert.deepEqual(lines(validateResources(res, r)), [
    `${r}.limits[pods]: Invalid value: "pods": must be a standard resource for containers`,
    `${r}.limits[foo]: Invalid value: "foo": must be a standard resource type or fully qualified`,
    `${r}.limits[foo]: Invalid value: "foo": must be a standard resource for containers`,
    `${r}.limits[example.com/gpu]: Invalid value: "1.5": must be an integer`,
    `${r}.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi`,
    `${r}.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m`,
    `${r}.requests[memory]: Invalid value: "-1": must be greater than or equal to 0`,
    `${r}.limits: Required value: Limit must be set for non overcommitable resources`,
    `${r}.requests: Invalid value: "2Mi": must be equal to hugepages-2Mi limit of 3Mi`,
  ]);
  assert.deepEqual(lines(validateResources({ limits: { "hugepages-1Gi": "1Gi" } }, r)), [`${r}: Forbidden: HugePages require cpu or memory`]);
});

test("resource claims name the pod's claims, once", () => {
  const r = "spec.containers[0].resources";
  assert.deepEqual(validateResources({ claims: [{ name: "gpu" }, { name: "gpu", request: "one" }] }, r, new Set(["gpu"])).length, 1);
  assert.deepEqual(lines(validateResources({ claims: [{ name: "gpu", request: "a" }, { name: "gpu", request: "a" }, { name: "fpga" }, {}] }, r, new Set(["gpu", "net"]))), [
    `${r}.claims[1]: Duplicate value: "gpu/a"`,
    `${r}.claims[2]: Not found: "fpga": must be one of the names in pod.spec.resourceClaims: gpu, net`,
    `${r}.claims[3]: Required value`,
  ]);
  assert.deepEqual(lines(validateResources({ claims: [{ name: "x" }] }, r)), [`${r}.claims[0]: Not found: "x": must be one of the names in pod.spec.resourceClaims which is empty`]);
});
