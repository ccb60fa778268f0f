/** The apimachinery string rules added for pod validation: IPs, port names, env var names, config keys, header names, labels with dots. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { configMapKey, dns1123Label, envVarName, httpHeaderName, inclusiveRange, ipAddress, portName, validateLabelSelector } from "./validation.ts";

test("IP addresses as Go's sloppy parser takes them", () => {
  for (const ok of ["10.0.0.1", "010.000.000.001", "::", "::1", "1::", "2001:db8::ffff", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::ffff:10.1.2.3"]) assert.deepEqual(ipAddress(ok), [], ok);
  for (const bad of ["", "10.0.0", "256.1.1.1", "1::2::3", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", "::ffff:999.1.2.3", "host.local"]) {
    assert.deepEqual(ipAddress(bad), ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"], bad);
  }
});

test("port names, env var names, config keys and header names", () => {
  assert.deepEqual(portName("http"), []);
  assert.deepEqual(portName("-a--B-0123456789"), [
    "must be no more than 15 characters",
    "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
    "must not contain consecutive hyphens",
    "must not begin or end with a hyphen",
  ]);
  assert.deepEqual(portName("8080"), ["must contain at least one letter (a-z)"]);
  assert.deepEqual(envVarName("1 odd-but.ok"), []);
  assert.deepEqual(envVarName("A=B"), ["a valid environment variable name must consist only of printable ASCII characters other than '='"]);
  assert.deepEqual(envVarName("tab\there").length, 1);
  assert.deepEqual(configMapKey("..x").at(-1), "must not start with '..'");
  assert.deepEqual(configMapKey("ok.key_1"), []);
  assert.equal(httpHeaderName("X_Y").length, 1);
  assert.equal(inclusiveRange(1, 2), "must be between 1 and 2, inclusive");
});

test("a label with dots says so; selector values are label values", () => {
  assert.deepEqual(dns1123Label("a.b"), ["must not contain dots"]);
  assert.equal(dns1123Label("A_b").length, 1);
  const sel = { matchExpressions: [{ key: "k", operator: "In", values: ["ok", "not ok"] }] };
  assert.deepEqual(validateLabelSelector(sel, "s").map((e) => e.field), ["s.matchExpressions[0].values[1]"]);
});
