/** Volumes, their sources (configMap, secret, hostPath, emptyDir, projected, downwardAPI, PVC, ...) and volume mounts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validateVolumeMounts, validateVolumes } from "./volumes.ts";
import { lines } from "./testutil.ts";

const opts = { path: "spec.volumes", pod: true };

test("the usual volumes are valid and mountable", () => {
  const vols = [
    { name: "config", configMap: { name: "cfg", defaultMode: 0o644, items: [{ key: "a", path: "conf/a.yaml", mode: 0o400 }] } },
    { name: "secret", secret: { secretName: "s" } },
    { name: "cache", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
    { name: "host", hostPath: { path: "/var/log", type: "DirectoryOrCreate" } },
    { name: "data", persistentVolumeClaim: { claimName: "data" } },
    { name: "podinfo", downwardAPI: { items: [{ path: "labels", fieldRef: { apiVersion: "v1", fieldPath: "metadata.labels" } }, { path: "cpu", resourceFieldRef: { containerName: "c", resource: "limits.cpu", divisor: "1m" } }] } },
    { name: "token", projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: "token" } }, { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } }, { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } }] } },
    { name: "csi", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true } },
  ];
  const { volumes, errs } = validateVolumes(vols, opts);
  assert.deepEqual(errs, []);
  assert.equal(volumes.get("data"), "persistentVolumeClaim");
  const mounts = [{ name: "config", mountPath: "/etc/app", subPath: "conf", readOnly: true, recursiveReadOnly: "IfPossible" }, { name: "cache", mountPath: "/cache", mountPropagation: "HostToContainer" }];
  assert.deepEqual(validateVolumeMounts(mounts, "m", { volumes, privileged: false, devices: new Map() }), []);
});

test("names, source count and per-source required fields", () => {
  const vols = [
    { name: "Bad.Name", emptyDir: {} }, { name: "two", emptyDir: {}, configMap: { name: "x" }, downwardAPI: {} }, { name: "none" },
    { name: "cm", configMap: { defaultMode: 0o1000, items: [{ key: "", path: "/abs" }, { key: "k", path: "../up", mode: -1 }, { key: "k", path: "..x" }] } },
    { name: "hp", hostPath: { path: "/a/../b", type: "Folder" } }, { name: "hp2", hostPath: {} }, { name: "ed", emptyDir: { medium: "Disk", sizeLimit: "-1Gi" } },
    { name: "pvc", persistentVolumeClaim: {} }, { name: "nfs", nfs: { server: "s", path: "rel" } }, { name: "cm" , secret: { secretName: "s" } },
  ];
  const p = "spec.volumes";
  assert.deepEqual(lines(validateVolumes(vols, opts).errs), [
    `${p}[0].name: Invalid value: "Bad.Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    `${p}[1].downwarAPI: Forbidden: may not specify more than 1 volume type`,
    `${p}[1].configMap: Forbidden: may not specify more than 1 volume type`,
    `${p}[2]: Required value: must specify a volume type`,
    `${p}[3].configMap.name: Required value`,
    `${p}[3].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive`,
    `${p}[3].configMap.items[0].key: Required value`,
    `${p}[3].configMap.items[0].path: Invalid value: "/abs": must be a relative path`,
    `${p}[3].configMap.items[1].path: Invalid value: "../up": must not contain '..'`,
    `${p}[3].configMap.items[1].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive`,
    `${p}[3].configMap.items[2].path: Invalid value: "..x": must not start with '..'`,
    `${p}[4].hostPath.path: Invalid value: "/a/../b": must not contain '..'`,
    `${p}[4].hostPath.type: Unsupported value: "Folder": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"`,
    `${p}[5].hostPath.path: Required value`,
    `${p}[6].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity`,
    `${p}[7].persistentVolumeClaim.claimName: Required value`,
    `${p}[8].nfs.path: Invalid value: "rel": must be an absolute path`,
  ]);
});

test("a duplicate volume name is reported once the first one is valid", () => {
  assert.deepEqual(lines(validateVolumes([{ name: "a", emptyDir: {} }, { name: "a", secret: { secretName: "s" } }], opts).errs), ['spec.volumes[1].name: Duplicate value: "a"']);
});

test("projected and downward API sources", () => {
  const vols = [{
    name: "p", projected: { sources: [
      { serviceAccountToken: { expirationSeconds: 60 } },
      { secret: { name: "s", items: [{ key: "a", path: "x" }] }, configMap: { name: "c" } },
      { configMap: { name: "c", items: [{ key: "b", path: "x" }] } },
      { downwardAPI: { items: [{ path: "f", fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } }, { path: "g" }] } },
    ] },
  }, { name: "d", downwardAPI: { items: [{ path: "l", fieldRef: { apiVersion: "v1", fieldPath: "metadata.labels['bad key!']" } }, { path: "r", resourceFieldRef: { resource: "limits.cpu" } }, { path: "u", fieldRef: { apiVersion: "v2", fieldPath: "metadata.name" } }] } }];
  const p = "spec.volumes[0].projected";
  assert.deepEqual(lines(validateVolumes(vols, opts).errs), [
    `${p}.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes`,
    `${p}.path: Required value`,
    `${p}.sources[1]: Forbidden: may not specify more than 1 volume type per source`,
    `${p}: Invalid value: "c": conflicting duplicate paths`,
    `${p}.sources[3].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"`,
    `${p}.sources[3].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required`,
    `spec.volumes[1].downwardAPI.fieldRef: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    "spec.volumes[1].downwardAPI.resourceFieldRef.containerName: Required value",
    `spec.volumes[1].downwardAPI.fieldRef.fieldPath: Invalid value: "metadata.name": error converting fieldPath: unsupported pod version: v2`,
  ]);
});

test("volume mounts: known volume, unique path, subPath rules, propagation and recursiveReadOnly", () => {
  const { volumes } = validateVolumes([{ name: "v", emptyDir: {} }], opts);
  const mounts = [
    { name: "nope", mountPath: "/a" }, { name: "v", mountPath: "/a", subPath: "/abs" }, { name: "v", mountPath: "" },
    { name: "v", mountPath: "/b", subPath: "x", subPathExpr: "$(POD)" }, { name: "v", mountPath: "/c", mountPropagation: "Bidirectional" },
    { name: "v", mountPath: "/d", recursiveReadOnly: "Enabled", mountPropagation: "HostToContainer" }, { name: "v", mountPath: "/e", recursiveReadOnly: "Always" },
  ];
  const m = "spec.containers[0].volumeMounts";
  assert.deepEqual(lines(validateVolumeMounts(mounts, m, { volumes, privileged: false, devices: new Map() })), [
    `${m}[0].name: Not found: "nope"`,
    `${m}[1].mountPath: Invalid value: "/a": must be unique`,
    `${m}.subPath: Invalid value: "/abs": must be a relative path`,
    `${m}[2].mountPath: Required value`,
    `${m}[3].subPathExpr: Invalid value: "$(POD)": subPathExpr and subPath are mutually exclusive`,
    `${m}.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers`,
    `${m}.recursiveReadOnly: Forbidden: may only be specified when readOnly is true`,
    `${m}.recursiveReadOnly: Forbidden: may only be specified when mountPropagation is None or not specified`,
    `${m}.recursiveReadOnly: Unsupported value: "Always": supported values: "Disabled", "Enabled", "IfPossible"`,
  ]);
  assert.equal(validateVolumeMounts([{ name: "v", mountPath: "/c", mountPropagation: "Bidirectional" }], m, { volumes, privileged: true, devices: new Map() }).length, 0);
});

test("generic ephemeral volumes: the PVC named after the pod must be a valid name and not be mounted as a claim", () => {
  const eph = { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } };
  const vols = [{ name: "scratch", ephemeral: eph }, { name: "again", persistentVolumeClaim: { claimName: "web-scratch" } }, { name: "bad", ephemeral: {} }];
  assert.deepEqual(lines(validateVolumes(vols, { ...opts, podName: "web" }).errs), [
    "spec.volumes[2].ephemeral.volumeClaimTemplate: Required value",
    'spec.volumes[1].persistentVolumeClaim.claimName: Invalid value: "web-scratch": must not reference a PVC that gets created for an ephemeral volume',
  ]);
  assert.deepEqual(lines(validateVolumes([{ name: "x", ephemeral: eph }], { ...opts, podName: "W" }).errs), [
    `spec.volumes[0].name: Invalid value: "x": PVC name "W-x": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
});
