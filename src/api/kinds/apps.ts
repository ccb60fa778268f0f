/** apps/v1 kinds. */
import type { KindDef, StrategyContext } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asMaps, asNumber, ensureMap, setDefaults } from "../access.ts";
import { defaultPodTemplate } from "../pods.ts";
import { AGE, NAME, age, col, formatLabels } from "../printing.ts";
import { dns1123Label } from "../validation.ts";
import { count, workloadWideCells } from "../workloads.ts";
import {
  validateControllerRevision, validateDaemonSet, validateDaemonSetStatus, validateDeployment, validateDeploymentStatus, validateReplicaSet, validateReplicaSetStatus,
  validateStatefulSet, validateStatefulSetStatus,
} from "../kindvalidation/mod.ts";
import { define } from "./define.ts";

const apps = { group: "apps", version: "v1" };
const SCALE = { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: ".spec.selector" };
const WIDE = [
  col("Containers", { type: "string", description: "Names of each container in the template.", priority: 1 }),
  col("Images", { type: "string", description: "Images referenced by each container in the template.", priority: 1 }),
  col("Selector", { type: "string", description: "Label selector for pods.", priority: 1 }),
];

/** Keeps status on spec writes and spec on status writes; bumps generation on spec change. */
function splitStatus(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void {
  if (ctx.subresource === "status") {
    obj.spec = old.spec;
    return;
  }
  if (ctx.subresource === "") obj.status = old.status;
}

function initStatus(obj: KubeObject): void {
  obj.status = {};
}

/** The apps/v1 kinds. */
export function appsKinds(): KindDef[] {
  return [
    define({
      ...apps, kind: "Deployment", resource: "deployments", namespaced: true, shortNames: ["deploy"], categories: ["all"],
      statusSubresource: true, scale: SCALE,
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        setDefaults(spec, { replicas: 1 });
        const strategy = ensureMap(spec, "strategy");
        setDefaults(strategy, { type: "RollingUpdate" });
        if (strategy.type === "RollingUpdate") {
          const ru = ensureMap(strategy, "rollingUpdate");
          setDefaults(ru, { maxUnavailable: "25%" });
          setDefaults(ru, { maxSurge: "25%" });
        }
        setDefaults(spec, { revisionHistoryLimit: 10 });
        setDefaults(spec, { progressDeadlineSeconds: 600 });
        defaultPodTemplate(spec.template);
      },
      validateSpec: (obj, old, ctx) => ctx.subresource === "status" ? validateDeploymentStatus(obj) : validateDeployment(obj, old),
      prepareForCreate: initStatus, prepareForUpdate: splitStatus,
      columns: [NAME, col("Ready", { type: "string", description: "Number of the pod with ready state" }), col("Up-to-date", { type: "string", description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec." }),
        col("Available", { type: "string", description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment." }), AGE, ...WIDE],
      row(o) {
        // a Deployment prints its selector unformatted: "" rather than "<none>" when empty
        const [c, i, sel] = workloadWideCells(o);
        return [o.metadata.name ?? "", `${count(o, "status.readyReplicas")}/${count(o, "spec.replicas")}`, count(o, "status.updatedReplicas"),
          count(o, "status.availableReplicas"), age(o), c, i, sel === "<none>" ? "" : sel];
      },
    }),
    define({
      ...apps, kind: "ReplicaSet", resource: "replicasets", namespaced: true, shortNames: ["rs"], categories: ["all"],
      statusSubresource: true, scale: SCALE,
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        setDefaults(spec, { replicas: 1 });
        defaultPodTemplate(spec.template);
      },
      validateSpec: (obj, old, ctx) => ctx.subresource === "status" ? validateReplicaSetStatus(obj) : validateReplicaSet(obj, old),
      prepareForCreate: initStatus, prepareForUpdate: splitStatus,
      columns: [NAME, col("Desired", { type: "integer", description: "Replicas is the number of desired replicas." }), col("Current", { type: "integer", description: "Replicas is the most recently observed number of replicas." }),
        col("Ready", { type: "integer", description: "The number of ready replicas for this replica set." }), AGE, ...WIDE],
      row: (o) => [o.metadata.name ?? "", count(o, "spec.replicas"), count(o, "status.replicas"), count(o, "status.readyReplicas"), age(o), ...workloadWideCells(o)],
      selectableFields: (o) => ({ "status.replicas": String(count(o, "status.replicas")) }),
    }),
    define({
      ...apps, kind: "StatefulSet", resource: "statefulsets", namespaced: true, shortNames: ["sts"], categories: ["all"],
      // upstream 1.32: a StatefulSet's name becomes its pods' hostnames, so it is a DNS-1123 label
      statusSubresource: true, scale: SCALE, nameRule: dns1123Label,
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        setDefaults(spec, { replicas: 1 });
        setDefaults(spec, { podManagementPolicy: "OrderedReady" });
        const us = ensureMap(spec, "updateStrategy");
        // upstream creates rollingUpdate only when it chose the type itself
        if (!us.type) {
          us.type = "RollingUpdate";
          if (!asMap(us.rollingUpdate)) us.rollingUpdate = {};
        }
        const ru = asMap(us.rollingUpdate);
        if (us.type === "RollingUpdate" && ru) setDefaults(ru, { partition: 0 });
        setDefaults(spec, { revisionHistoryLimit: 10 });
        const ret = ensureMap(spec, "persistentVolumeClaimRetentionPolicy");
        setDefaults(ret, { whenDeleted: "Retain" });
        setDefaults(ret, { whenScaled: "Retain" });
        for (const t of asMaps(spec.volumeClaimTemplates)) {
          const s = ensureMap(t, "spec");
          setDefaults(s, { volumeMode: "Filesystem" });
          setDefaults(ensureMap(t, "status"), { phase: "Pending" });
          if (!asMap(t.metadata)) t.metadata = {};
          t.apiVersion ??= "v1";
          t.kind ??= "PersistentVolumeClaim";
        }
        defaultPodTemplate(spec.template);
      },
      validateSpec: (obj, old, ctx) => ctx.subresource === "status" ? validateStatefulSetStatus(obj) : validateStatefulSet(obj, old),
      prepareForCreate: initStatus, prepareForUpdate: splitStatus,
      columns: [NAME, col("Ready", { type: "string", description: "Number of the pod with ready state" }), AGE, WIDE[0], WIDE[1]],
      row: (o) => [o.metadata.name ?? "", `${count(o, "status.readyReplicas")}/${count(o, "spec.replicas")}`, age(o), ...workloadWideCells(o).slice(0, 2)],
    }),
    define({
      ...apps, kind: "DaemonSet", resource: "daemonsets", namespaced: true, shortNames: ["ds"], categories: ["all"], statusSubresource: true,
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        const us = ensureMap(spec, "updateStrategy");
        setDefaults(us, { type: "RollingUpdate" });
        if (us.type === "RollingUpdate") {
          const ru = ensureMap(us, "rollingUpdate");
          setDefaults(ru, { maxUnavailable: 1 });
          if (ru.maxSurge === undefined) ru.maxSurge = 0;
        }
        setDefaults(spec, { revisionHistoryLimit: 10 });
        defaultPodTemplate(spec.template);
      },
      validateSpec: (obj, old, ctx) => ctx.subresource === "status" ? validateDaemonSetStatus(obj) : validateDaemonSet(obj, old),
      prepareForCreate: initStatus, prepareForUpdate: splitStatus,
      columns: [NAME, col("Desired", { type: "integer", description: "The total number of nodes that should be running the daemon pod." }), col("Current", { type: "integer", description: "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod." }),
        col("Ready", { type: "integer", description: "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition." }),
        col("Up-to-date", { type: "integer", description: "The total number of nodes that are running updated daemon pod" }), col("Available", { type: "integer", description: "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)" }),
        col("Node Selector", { type: "string", description: "NodeSelector is a selector which must be true for the pod to fit on a node." }), AGE, ...WIDE],
      row: (o) => [o.metadata.name ?? "", count(o, "status.desiredNumberScheduled"), count(o, "status.currentNumberScheduled"), count(o, "status.numberReady"),
        count(o, "status.updatedNumberScheduled"), count(o, "status.numberAvailable"), formatLabels(asMap(asMap(asMap(o.spec)?.template)?.spec)?.nodeSelector), age(o), ...workloadWideCells(o)],
    }),
    define({
      ...apps, kind: "ControllerRevision", resource: "controllerrevisions", namespaced: true,
      validateSpec: (obj, old) => validateControllerRevision(obj, old),
      columns: [NAME, col("Controller", { type: "string", description: "Controller of the object" }), col("Revision", { type: "string", description: "Revision is the revision number" }), AGE],
      row(o) {
        const owner = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
        let controller = "<none>";
        if (owner) {
          const group = owner.apiVersion.includes("/") ? owner.apiVersion.split("/")[0] : "";
          controller = `${owner.kind.toLowerCase()}${group ? `.${group}` : ""}/${owner.name}`;
        }
        return [o.metadata.name ?? "", controller, asNumber(o.revision) ?? 0, age(o)];
      },
    }),
  ];
}
