/** env and envFrom: names (1.32's relaxed rule), exactly one valueFrom source, downward API paths, key selectors, prefixes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateEnv, validateEnvFrom } from "./env.ts";
import { lines } from "./testutil.ts";

test("the usual env is valid, including names the relaxed rule allows", () => {
  const env = [
    { name: "PLAIN", value: "x" }, { name: "1_STARTS_WITH_DIGIT", value: "y" }, { name: "with space", value: "z" },
    { name: "POD", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
    { name: "APP", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.labels['app']" } } },
    { name: "MEM", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
    { name: "PASS", valueFrom: { secretKeyRef: { name: "db", key: "password", optional: true } } },
  ];
  assert.deepEqual(validateEnv(env, "env"), []);
  assert.deepEqual(validateEnvFrom([{ prefix: "CFG_", configMapRef: { name: "cfg" } }, { secretRef: { name: "s" } }], "envFrom"), []);
});

test("env errors as upstream words them", () => {
  const env = [
    { name: "" }, { name: "A=B" }, { name: "X", valueFrom: {} }, { name: "Y", value: "v", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
    { name: "Z", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" }, configMapKeyRef: { name: "c", key: "k" } } },
    { name: "F", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.phase" } } },
    { name: "G", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nope" } } },
    { name: "R", valueFrom: { resourceFieldRef: { resource: "limits.gpu" } } },
    { name: "D", valueFrom: { resourceFieldRef: { resource: "requests.cpu", divisor: "2" } } },
    { name: "K", valueFrom: { configMapKeyRef: { name: "Bad", key: "a/b" } } },
  ];
  const e = "spec.containers[0].env";
  assert.deepEqual(lines(validateEnv(env, e)), [
    `${e}[0].name: Required value`,
    `${e}[1].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    `${e}[2].valueFrom: Invalid value: "": must specify one of: \`fieldRef\`, \`resourceFieldRef\`, \`configMapKeyRef\` or \`secretKeyRef\``,
    `${e}[3].valueFrom: Invalid value: "": may not be specified when \`value\` is not empty`,
    `${e}[4].valueFrom: Invalid value: "": may not have more than one field specified at a time`,
    `${e}[5].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"`,
    `${e}[6].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nope": error converting fieldPath: field label not supported: spec.nope`,
    `${e}[7].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"`,
    `${e}[8].valueFrom.resourceFieldRef.divisor: Invalid value: "requests.cpu": only divisor's values 1m, 1 are supported with the cpu resource`,
    `${e}[9].valueFrom.configMapKeyRef.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    `${e}[9].valueFrom.configMapKeyRef.key: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
  ]);
});

test("envFrom: prefix, exactly one source, names", () => {
  const e = "spec.containers[0].envFrom";
  assert.deepEqual(lines(validateEnvFrom([{ prefix: "A=" }, { configMapRef: {}, secretRef: { name: "s" } }], e)), [
    `${e}[0].prefix: Invalid value: "A=": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    `${e}: Invalid value: "": must specify one of: \`configMapRef\` or \`secretRef\``,
    `${e}[1].configMapRef.name: Required value`,
    `${e}: Invalid value: "": may not have more than one field specified at a time`,
  ]);
});
