/** Pod status updates: custom condition types, pod and host IPs (one per family, no duplicates), the nominated node. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validatePodStatus } from "./status.ts";
import { lines } from "./testutil.ts";

test("a kubelet's status is valid", () => {
  const status = {
    phase: "Running", hostIP: "10.0.0.5", hostIPs: [{ ip: "10.0.0.5" }], podIP: "10.42.0.7", podIPs: [{ ip: "10.42.0.7" }, { ip: "fd00::7" }],
    conditions: [{ type: "Ready", status: "True" }, { type: "example.com/gate", status: "True" }], nominatedNodeName: "node-1",
  };
  assert.deepEqual(validatePodStatus(status, {}, {}), []);
});

test("invalid status fields as upstream words them", () => {
  const status = {
    hostIP: "10.0.0.5", hostIPs: [{ ip: "10.0.0.6" }], podIPs: [{ ip: "10.42.0.7" }, { ip: "10.42.0.8" }, { ip: "nope" }],
    conditions: [{ type: "bad type!" }], nominatedNodeName: "Node_1",
  };
  assert.deepEqual(lines(validatePodStatus(status, {}, {})), [
    `metadata.conditions[0].Type: Invalid value: "bad type!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    `status.nominatedNodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    'status.podIPs[2]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'status.hostIPs[0].ip: Invalid value: "10.0.0.6": must be equal to `hostIP`',
  ]);
  assert.deepEqual(lines(validatePodStatus({ podIPs: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }] }, {}, {})), [
    'status.podIPs: Invalid value: [{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}]: may specify no more than one IP for each IP family',
  ]);
  assert.deepEqual(lines(validatePodStatus({ podIPs: [{ ip: "fd00::1" }, { ip: "fd00::1" }] }, {}, {})).map((l) => l.split(":")[0]), ["status.podIPs[1]", "status.podIPs"]);
});

test("a terminated container may restart only as the pod's restart policy allows", () => {
  const done = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode } } });
  const running = (name: string) => ({ name, state: { running: {} } });
  const old = { containerStatuses: [done("ok", 0), done("failed", 1)], initContainerStatuses: [done("init", 0), done("side", 0)] };
  const now = { containerStatuses: [running("ok"), running("failed")], initContainerStatuses: [running("init"), running("side")] };
  const spec = { initContainers: [{ name: "init" }, { name: "side", restartPolicy: "Always" }] };
  assert.deepEqual(lines(validatePodStatus(now, old, { ...spec, restartPolicy: "Never" })), [
    "status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state",
    "status.containerStatuses[1].state: Forbidden: may not be transitioned to non-terminated state",
    "status.initContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state",
  ]);
  assert.deepEqual(lines(validatePodStatus(now, old, { ...spec, restartPolicy: "OnFailure" })).map((l) => l.split(":")[0]), ["status.containerStatuses[0].state", "status.initContainerStatuses[0].state"]);
  assert.deepEqual(validatePodStatus(now, old, { ...spec, restartPolicy: "Always" }), []);
});
