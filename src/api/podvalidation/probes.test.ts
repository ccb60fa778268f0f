/** Probes and lifecycle handlers: one handler each, ports, schemes, thresholds, successThreshold, sleep. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateLifecycle, validateProbe } from "./probes.ts";
import { lines } from "./testutil.ts";

test("defaulted probes of each handler type are valid", () => {
  const d = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };
  assert.deepEqual(validateProbe({ ...d, httpGet: { path: "/healthz", port: "http", scheme: "HTTPS", httpHeaders: [{ name: "X-Probe", value: "1" }] } }, "p", "livenessProbe"), []);
  assert.deepEqual(validateProbe({ ...d, tcpSocket: { port: 5432 } }, "p", "startupProbe"), []);
  assert.deepEqual(validateProbe({ ...d, successThreshold: 3, grpc: { port: 9090 } }, "p", "readinessProbe"), []);
  assert.deepEqual(validateLifecycle({ preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ["sh", "-c", "true"] } } }, "l", 30), []);
});

test("a probe holds exactly one handler with a valid port, scheme and header", () => {
  const c = "spec.containers[0]";
  assert.deepEqual(lines(validateProbe({ exec: { command: [] }, httpGet: { port: 80 } }, `${c}.livenessProbe`, "livenessProbe")), [
    `${c}.livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type`,
    `${c}.livenessProbe.exec.command: Required value`,
  ]);
  assert.deepEqual(lines(validateProbe({ periodSeconds: 5 }, "p", "livenessProbe")), ["p: Required value: must specify a handler type"]);
  assert.deepEqual(lines(validateProbe({ tcpSocket: {} }, "p", "livenessProbe")), ["p.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive"]);
  assert.deepEqual(lines(validateProbe({ httpGet: { port: 0, scheme: "FTP", httpHeaders: [{ name: "Bad Header" }] } }, "p", "readinessProbe")), [
    "p.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
    'p.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
    `p.httpGet.httpHeaders: Invalid value: "Bad Header": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')`,
  ]);
  assert.deepEqual(lines(validateProbe({ tcpSocket: { port: "web--ui-service-name" } }, "p", "readinessProbe")), [
    'p.tcpSocket.port: Invalid value: "web--ui-service-name": must be no more than 15 characters',
    'p.tcpSocket.port: Invalid value: "web--ui-service-name": must not contain consecutive hyphens',
  ]);
});

test("thresholds are non-negative; liveness and startup need successThreshold 1; readiness has no grace period", () => {
  assert.deepEqual(lines(validateProbe({ tcpSocket: { port: 1 }, periodSeconds: -1, successThreshold: 2, terminationGracePeriodSeconds: 0 }, "p", "startupProbe")), [
    "p.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
    "p.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0",
    "p.successThreshold: Invalid value: 2: must be 1",
  ]);
  assert.deepEqual(lines(validateProbe({ tcpSocket: { port: 1 }, terminationGracePeriodSeconds: 10 }, "p", "readinessProbe")), [
    "p.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes",
  ]);
});

test("lifecycle hooks: grpc is not a lifecycle handler, sleep stays within the grace period", () => {
  assert.deepEqual(lines(validateLifecycle({ preStop: { grpc: { port: 1 } }, postStart: { sleep: { seconds: 60 } } }, "l", 30)), [
    "l.postStart.sleep: Invalid value: 60: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.",
    "l.preStop: Required value: must specify a handler type",
  ]);
});
