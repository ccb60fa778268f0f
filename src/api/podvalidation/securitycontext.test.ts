/** Pod and container securityContext rules: ids, enums, seccomp/AppArmor profiles, sysctls, privilege escalation, windows options. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateContainerSecurityContext, validateHostUsers, validatePodSecurityContext } from "./securitycontext.ts";
import { lines } from "./testutil.ts";

test("a typical restricted pod and container security context is valid", () => {
  const spec = {
    securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, runAsNonRoot: true, fsGroupChangePolicy: "OnRootMismatch", supplementalGroups: [4000], seccompProfile: { type: "RuntimeDefault" }, sysctls: [{ name: "net.ipv4.ip_local_port_range", value: "1024 65535" }, { name: "kernel.shm_rmid_forced", value: "1" }] },
  };
  assert.deepEqual(validatePodSecurityContext(spec, "spec.securityContext"), []);
  const sc = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] }, seccompProfile: { type: "Localhost", localhostProfile: "profiles/audit.json" }, appArmorProfile: { type: "RuntimeDefault" } };
  assert.deepEqual(validateContainerSecurityContext(sc, "c.securityContext", true), []);
});

test("pod security context: ids, enums, sysctls, profiles", () => {
  const spec = {
    hostNetwork: true,
    securityContext: {
      runAsUser: -1, fsGroup: -5, supplementalGroups: [1, -2], fsGroupChangePolicy: "Sometimes", supplementalGroupsPolicy: "Loose",
      sysctls: [{ name: "kernel.shm_rmid_forced" }, { name: "kernel.shm_rmid_forced" }, { name: "Bad!" }, { name: "net.core.somaxconn" }, { name: "" }],
      seccompProfile: { type: "RuntimeDefault", localhostProfile: "x" }, appArmorProfile: { type: "Localhost" },
    },
  };
  assert.deepEqual(lines(validatePodSecurityContext(spec, "spec.securityContext")), [
    "spec.securityContext.fsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive",
    "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
    "spec.securityContext.supplementalGroups[1]: Invalid value: -2: must be between 0 and 2147483647, inclusive",
    'spec.securityContext.sysctls[1].name: Duplicate value: "kernel.shm_rmid_forced"',
    'spec.securityContext.sysctls[2].name: Invalid value: "Bad!": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$',
    `spec.securityContext.sysctls[3].name: Invalid value: "net.core.somaxconn": may not be specified when 'hostNetwork' is true`,
    "spec.securityContext.sysctls[4].name: Required value",
    'spec.securityContext.fsGroupChangePolicy: Unsupported value: "Sometimes": supported values: "Always", "OnRootMismatch"',
    'spec.securityContext.seccompProfile.localhostProfile: Invalid value: {"type":"RuntimeDefault","localhostProfile":"x"}: can only be set when seccomp type is Localhost',
    "spec.securityContext.appArmorProfile.localhostProfile: Required value: must be set when AppArmor type is Localhost",
    'spec.securityContext.supplementalGroupsPolicy: Unsupported value: "Loose": supported values: "Merge", "Strict"',
  ]);
});

test("container security context: privilege escalation, procMount, profiles, windows options", () => {
  const sc = {
    allowPrivilegeEscalation: false, privileged: true, capabilities: { add: ["CAP_SYS_ADMIN"] }, runAsGroup: 2147483648,
    procMount: "Unmasked", seccompProfile: { type: "Localhost" }, appArmorProfile: { type: "Bogus" },
    windowsOptions: { runAsUserName: "a\\b\\c", gmsaCredentialSpecName: "Not_Valid" },
  };
  const errs = validateContainerSecurityContext(sc, "spec.containers[0].securityContext", true);
  assert.deepEqual(lines(errs), [
    "spec.containers[0].securityContext.runAsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive",
    "spec.containers[0].securityContext.procMount: Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`",
    "spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost",
    `spec.containers[0].securityContext: Invalid value: ${JSON.stringify(sc)}: cannot set \`allowPrivilegeEscalation\` to false and \`privileged\` to true`,
    `spec.containers[0].securityContext: Invalid value: ${JSON.stringify(sc)}: cannot set \`allowPrivilegeEscalation\` to false and \`capabilities.Add\` CAP_SYS_ADMIN`,
    `spec.containers[0].securityContext.windowsOptions.gmsaCredentialSpecName: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    'spec.containers[0].securityContext.windowsOptions.runAsUserName: Invalid value: "a\\\\b\\\\c": runAsUserName cannot contain more than one backslash',
    'spec.containers[0].securityContext.appArmorProfile.type: Unsupported value: "Bogus": supported values: "Localhost", "RuntimeDefault", "Unconfined"',
  ]);
  assert.deepEqual(errs.map((e) => e.type).slice(0, 3), ["FieldValueInvalid", "FieldValueInvalid", "FieldValueRequired"]);
  assert.deepEqual(validateContainerSecurityContext({ procMount: "Unmasked" }, "c", false), [], "a pod with its own user namespace may unmask /proc");
  assert.deepEqual(lines(validateContainerSecurityContext({ seccompProfile: { type: "Localhost", localhostProfile: "/abs/../p.json" } }, "c", true)), [
    'c.seccompProfile.localhostProfile: Invalid value: "/abs/../p.json": must be a relative path',
    `c.seccompProfile.localhostProfile: Invalid value: "/abs/../p.json": must not contain '..'`,
  ]);
});

test("hostUsers: false excludes the host namespaces", () => {
  assert.deepEqual(lines(validateHostUsers({ hostUsers: false, hostNetwork: true, hostPID: true }, "spec")), [
    "spec.hostNetwork: Forbidden: when `pod.Spec.HostUsers` is false",
    "spec.HostPID: Forbidden: when `pod.Spec.HostUsers` is false",
  ]);
  assert.deepEqual(validateHostUsers({ hostNetwork: true }, "spec"), []);
});
