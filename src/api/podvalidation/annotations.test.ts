/** Pod annotations with meaning: mirror pods, deletion cost, seccomp and AppArmor annotations, and what an update may not change. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateAnnotationsMatchFields, validatePodAnnotations, validatePodAnnotationsUpdate } from "./annotations.ts";
import { lines } from "./testutil.ts";

const spec = { nodeName: "n1", containers: [{ name: "app" }] };
const path = "metadata.annotations";

test("well-formed annotations are valid", () => {
  const ann = {
    "kubernetes.io/config.mirror": "abc", "controller.kubernetes.io/pod-deletion-cost": "-100", "seccomp.security.alpha.kubernetes.io/pod": "runtime/default",
    "container.seccomp.security.alpha.kubernetes.io/app": "localhost/profiles/a.json", "container.apparmor.security.beta.kubernetes.io/app": "localhost/k8s-nginx",
  };
  assert.deepEqual(validatePodAnnotations(ann, spec, { path }), []);
});

test("invalid annotations as upstream words them", () => {
  const ann = {
    "kubernetes.io/config.mirror": "abc", "controller.kubernetes.io/pod-deletion-cost": "1.5", "seccomp.security.alpha.kubernetes.io/pod": "strict",
    "container.apparmor.security.beta.kubernetes.io/gone": "enforce",
  };
  assert.deepEqual(lines(validatePodAnnotations(ann, { containers: [{ name: "app" }] }, { path })), [
    'metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "abc": must set spec.nodeName if mirror pod annotation is set',
    'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "1.5": must be a 32bit integer',
    'metadata.annotations.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "strict": must be a valid seccomp profile',
    'metadata.annotations[container.apparmor.security.beta.kubernetes.io/gone]: Invalid value: "gone": container not found',
    'metadata.annotations[container.apparmor.security.beta.kubernetes.io/gone]: Invalid value: "enforce": invalid AppArmor profile name: "enforce"',
  ]);
  const stored = { "controller.kubernetes.io/pod-deletion-cost": "x" };
  assert.deepEqual(validatePodAnnotations(stored, spec, { path, old: stored }), [], "an invalid cost already stored stays allowed");
});

test("AppArmor and mirror annotations are fixed at creation", () => {
  const old = { "container.apparmor.security.beta.kubernetes.io/app": "runtime/default" };
  assert.deepEqual(lines(validatePodAnnotationsUpdate({ "kubernetes.io/config.mirror": "x" }, old)), [
    "metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]: Forbidden: may not remove or update AppArmor annotations",
    "metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not add mirror pod annotation",
  ]);
  assert.deepEqual(validatePodAnnotationsUpdate({ ...old, other: "y" }, old), []);
});

test("a deprecated seccomp or AppArmor annotation must agree with its field", () => {
  const spec = {
    securityContext: { seccompProfile: { type: "RuntimeDefault" }, appArmorProfile: { type: "RuntimeDefault" } },
    containers: [{ name: "a", securityContext: { seccompProfile: { type: "Localhost", localhostProfile: "p.json" } } }, { name: "b" }],
  };
  const agree = {
    "seccomp.security.alpha.kubernetes.io/pod": "docker/default", "container.seccomp.security.alpha.kubernetes.io/a": "localhost/p.json",
    "container.apparmor.security.beta.kubernetes.io/b": "runtime/default",
  };
  assert.deepEqual(validateAnnotationsMatchFields(agree, spec, "spec"), []);
  const disagree = {
    "seccomp.security.alpha.kubernetes.io/pod": "unconfined", "container.seccomp.security.alpha.kubernetes.io/a": "localhost/other.json",
    "container.apparmor.security.beta.kubernetes.io/b": "unconfined",
  };
  assert.deepEqual(lines(validateAnnotationsMatchFields(disagree, spec, "spec")), [
    "spec.securityContext.seccompProfile.type: Forbidden: seccomp type in annotation and field must match",
    "spec.containers[0].securityContext.seccompProfile.localhostProfile: Forbidden: seccomp profile in annotation and field must match",
    "spec.containers[1].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match",
  ]);
});
