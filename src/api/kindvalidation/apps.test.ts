/**
 * apps/v1 validation: each rule's field path, error type and upstream wording,
 * on objects defaulted by the kinds' own defaults (as the REST core does).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../types.ts";
import { ctx, edit, kinds, lines } from "./testsupport.ts";
import { validateControllerRevision, validateDaemonSet, validateDeployment, validateReplicaSet, validateStatefulSet } from "./apps.ts";


function defaulted(kind: string, spec: Record<string, unknown>): KubeObject {
  const o: KubeObject = { apiVersion: "apps/v1", kind, metadata: { name: "web", namespace: "default" }, spec: structuredClone(spec) };
  kinds.find((k) => k.group === "apps" && k.kind === kind)?.defaults?.(o);
  return o;
}

const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } };
const base = { selector: { matchLabels: { app: "web" } }, template };

test("deployment: strategy, rolling update bounds, ranges and progress deadline", () => {
  const d = defaulted("Deployment", base);
  assert.deepEqual(validateDeployment(d), []);
  assert.deepEqual(lines(validateDeployment(edit(d, (s) => { s.strategy = { type: "Blue" }; }))), [
    'FieldValueNotSupported spec.strategy: Unsupported value: {"type":"Blue"}: supported values: "Recreate", "RollingUpdate"',
  ]);
  assert.deepEqual(lines(validateDeployment(edit(d, (s) => { s.strategy.type = "Recreate"; }))), [
    "FieldValueForbidden spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
  ]);
  assert.deepEqual(lines(validateDeployment(edit(d, (s) => { s.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: "0%" }; }))), [
    'FieldValueInvalid spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
  ]);
  assert.deepEqual(lines(validateDeployment(edit(d, (s) => { s.strategy.rollingUpdate = { maxSurge: "x", maxUnavailable: "120%" }; }))), [
    "FieldValueInvalid spec.strategy.rollingUpdate.maxSurge: Invalid value: \"x\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    'FieldValueInvalid spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
  ]);
  assert.deepEqual(lines(validateDeployment(edit(d, (s) => { s.replicas = -1; s.revisionHistoryLimit = -2; s.minReadySeconds = 700; }))), [
    "FieldValueInvalid spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    "FieldValueInvalid spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0",
    "FieldValueInvalid spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds",
  ]);
});

test("deployment and replicaset: selector required, non-empty, matching; template restartPolicy Always; selector immutable", () => {
  const d = defaulted("Deployment", base);
  assert.deepEqual(lines(validateDeployment(edit(d, (s) => { delete s.selector; }))), ["FieldValueRequired spec.selector: Required value"]);
  assert.deepEqual(lines(validateDeployment(edit(d, (s) => { s.selector = {}; }))), ["FieldValueInvalid spec.selector: Invalid value: {}: empty selector is invalid for deployment"]);
  assert.deepEqual(lines(validateDeployment(edit(d, (s) => { s.template.spec.restartPolicy = "Never"; s.template.spec.activeDeadlineSeconds = 5; }))), [
    'FieldValueNotSupported spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    "FieldValueForbidden spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported",
  ]);
  const rs = defaulted("ReplicaSet", base);
  assert.deepEqual(validateReplicaSet(rs), []);
  const moved = edit(rs, (s) => { s.selector = { matchLabels: { app: "web", v: "2" } }; s.template.metadata.labels.v = "2"; });
  assert.deepEqual(lines(validateReplicaSet(moved, rs)), ['FieldValueInvalid spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable']);
  // key order of an unchanged selector is no change
  const reordered = edit(rs, (s) => { s.selector = { matchLabels: { app: "web" }, matchExpressions: undefined }; });
  assert.deepEqual(validateReplicaSet(reordered, rs), []);
});

test("daemonset: update strategy rules, missing selector selects nothing", () => {
  const ds = defaulted("DaemonSet", base);
  assert.deepEqual(validateDaemonSet(ds), []);
  assert.deepEqual(lines(validateDaemonSet(edit(ds, (s) => { s.updateStrategy.rollingUpdate = { maxSurge: 1, maxUnavailable: 1 }; }))), [
    "FieldValueInvalid spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero",
  ]);
  assert.deepEqual(lines(validateDaemonSet(edit(ds, (s) => { s.updateStrategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 0 }; }))), [
    "FieldValueRequired spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
  ]);
  assert.deepEqual(lines(validateDaemonSet(edit(ds, (s) => { s.updateStrategy = { type: "Rolling" }; }))), [
    'FieldValueNotSupported spec.updateStrategy: Unsupported value: {"type":"Rolling"}: supported values: "RollingUpdate", "OnDelete"',
  ]);
  assert.deepEqual(lines(validateDaemonSet(edit(ds, (s) => { delete s.selector; }))), [
    'FieldValueInvalid spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
  ]);
});

test("statefulset: policies, strategy, claim templates, ordinals and the fixed part of its spec", () => {
  const claim = { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } };
  const sts = defaulted("StatefulSet", { ...base, serviceName: "web", volumeClaimTemplates: [claim] });
  assert.deepEqual(validateStatefulSet(sts), []);
  assert.deepEqual(lines(validateStatefulSet(edit(sts, (s) => {
    s.serviceName = "db.internal";
    s.podManagementPolicy = "Random";
    s.persistentVolumeClaimRetentionPolicy.whenScaled = "Keep";
    s.ordinals = { start: -1 };
    s.updateStrategy.rollingUpdate = { partition: -1, maxUnavailable: 0 };
  }))), [
    'FieldValueInvalid spec.serviceName: Invalid value: "db.internal": must not contain dots',
    "FieldValueInvalid spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
    "FieldValueInvalid spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0",
    "FieldValueInvalid spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0",
    'FieldValueNotSupported spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: "Keep": supported values: "Retain", "Delete"',
    "FieldValueInvalid spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0",
  ]);
  assert.deepEqual(lines(validateStatefulSet(edit(sts, (s) => { s.updateStrategy = { type: "OnDelete", rollingUpdate: {} }; }))), [
    "FieldValueInvalid spec.updateStrategy.rollingUpdate: Invalid value: {}: only allowed for updateStrategy 'RollingUpdate'",
  ]);
  assert.deepEqual(lines(validateStatefulSet(edit(sts, (s) => { s.volumeClaimTemplates[0].spec = { accessModes: [], resources: {} }; }))), [
    "FieldValueRequired spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required",
    "FieldValueRequired spec.volumeClaimTemplates[0].spec.resources[storage]: Required value",
  ]);
  const renamed = edit(sts, (s) => { s.serviceName = "other"; });
  assert.deepEqual(lines(validateStatefulSet(renamed, sts)), [
    "FieldValueForbidden spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
  const allowed = edit(sts, (s) => { s.replicas = 5; s.minReadySeconds = 3; s.updateStrategy = { type: "OnDelete" }; s.template.spec.containers[0].image = "nginx:2"; });
  assert.deepEqual(validateStatefulSet(allowed, sts), []);
});

test("statefulset names are DNS-1123 labels; controller revisions need data, which then never changes", () => {
  const def = kinds.find((k) => k.kind === "StatefulSet")!;
  const sts = defaulted("StatefulSet", { ...base, serviceName: "web" });
  sts.metadata.name = "web.v1";
  assert.deepEqual(def.validate!(sts, undefined, ctx).map((e) => e.message), ['Invalid value: "web.v1": must not contain dots']);
  const rev: KubeObject = { apiVersion: "apps/v1", kind: "ControllerRevision", metadata: { name: "r" }, revision: -1 };
  assert.deepEqual(lines(validateControllerRevision(rev)), [
    "FieldValueRequired data: Required value: data is mandatory",
    "FieldValueInvalid revision: Invalid value: -1: must be greater than or equal to 0",
  ]);
  const ok: KubeObject = { ...rev, revision: 1, data: { spec: { a: 1 } } };
  assert.deepEqual(validateControllerRevision(ok), []);
  assert.equal(validateControllerRevision({ ...ok, data: { spec: { a: 2 } } }, ok)[0].field, "data");
});
