/**
 * The controller manager: starts the enabled controllers over shared
 * informers, under leader election through the kube-system/kube-controller-manager Lease.
 */
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Client } from "../client/client.ts";
import { startLeaderElection } from "../client/leaderelection.ts";
import type { SharedInformerFactory } from "../client/factory.ts";
import { newControllerContext, type ControllerContext, type CSRSignRequest, type RunningController } from "./util/context.ts";
import { replicaSetAdapter, replicationControllerAdapter, startReplicaController } from "./replicaset/replicaset.ts";
import { startDeploymentController } from "./deployment/deployment.ts";
import { startServiceAccountController } from "./serviceaccount/serviceaccount.ts";
import { startRootCAPublisher } from "./rootca/rootca.ts";
import { startNamespaceController } from "./namespace/namespace.ts";
import { startGarbageCollector } from "./garbagecollector/garbagecollector.ts";
import { startEndpointsController } from "./endpoints/endpoints.ts";
import { startEndpointSliceController } from "./endpointslice/endpointslice.ts";
import { startNodeIpamController } from "./nodeipam/nodeipam.ts";
import { startNodeLifecycleController } from "./nodelifecycle/nodelifecycle.ts";
import { startJobController } from "./job/job.ts";
import { startDaemonSetController } from "./daemonset/daemonset.ts";
import { startStatefulSetController } from "./statefulset/statefulset.ts";
import { startCronJobController } from "./cronjob/cronjob.ts";
import { startPodGC } from "./podgc/podgc.ts";
import { startTTLAfterFinishedController } from "./ttlafterfinished/ttlafterfinished.ts";
import { startCertificateControllers } from "./certificates/certificates.ts";
import { startDisruptionController } from "./disruption/disruption.ts";
import { startPersistentVolumeBinder } from "./volume/binder.ts";
import { startHPAController } from "./hpa/hpa.ts";
import { startPVCProtectionController, startPVProtectionController } from "./pvcprotection/mod.ts";

export interface ControllerManagerOptions {
  /** default 10.42.0.0/16 */
  clusterCIDR?: string;
  /** default 10.43.0.0/16 */
  serviceCIDR?: string;
  /** default 24 */
  nodeCIDRMaskSize?: number;
  /** as --controllers: "*" for all defaults, "name" to enable, "-name" to disable; default ["*"] */
  controllers?: string[];
  /** default true */
  leaderElection?: boolean;
  /** leader-election identity; default "<hostname>_<uuid>" */
  identity?: string;
  /** the cluster CA published as kube-root-ca.crt */
  rootCAPEM?: string;
  /** signs node/kubelet CSRs (the integrator passes the CA) */
  signCSR?: (req: CSRSignRequest) => Promise<string>;
  /** default 40 s */
  nodeMonitorGracePeriodMs?: number;
  /** default 12500 (k3s keeps upstream's) */
  terminatedPodGCThreshold?: number;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** share informers with the scheduler (or others) in this process; the manager then never stops it */
  factory?: SharedInformerFactory;
}

type Starter = (ctx: ControllerContext) => RunningController | Promise<RunningController>;

/** Every controller by its --controllers name, in start order. */
const CONTROLLERS: [string, Starter][] = [
  ["serviceaccount", startServiceAccountController],
  ["root-ca-certificate-publisher", startRootCAPublisher],
  ["replicaset", (c) => startReplicaController(c, replicaSetAdapter)],
  ["replicationcontroller", (c) => startReplicaController(c, replicationControllerAdapter)],
  ["deployment", startDeploymentController],
  ["daemonset", startDaemonSetController],
  ["statefulset", startStatefulSetController],
  ["job", startJobController],
  ["cronjob", startCronJobController],
  ["endpoint", startEndpointsController],
  ["endpointslice", startEndpointSliceController],
  ["namespace", startNamespaceController],
  ["garbagecollector", startGarbageCollector],
  ["nodeipam", startNodeIpamController],
  ["nodelifecycle", startNodeLifecycleController],
  ["podgc", startPodGC],
  ["ttl-after-finished", startTTLAfterFinishedController],
  ["disruption", startDisruptionController],
  ["csrapproving", startCertificateControllers],
  ["persistentvolume-binder", startPersistentVolumeBinder],
  ["pvc-protection", startPVCProtectionController],
  ["pv-protection", startPVProtectionController],
  ["horizontalpodautoscaling", startHPAController],
];

// upstream's newer "-controller" names and older aliases map onto ours
const ALIASES: Record<string, string> = {
  "root-ca-cert-publisher": "root-ca-certificate-publisher",
  "endpoints": "endpoint",
  "service-account": "serviceaccount",
  "garbage-collector": "garbagecollector",
  "node-ipam": "nodeipam",
  "node-lifecycle": "nodelifecycle",
  "replication": "replicationcontroller",
  "pod-garbage-collector": "podgc",
  "csrsigning": "csrapproving",
  "persistentvolume": "persistentvolume-binder",
  "horizontal-pod-autoscaler": "horizontalpodautoscaling",
  "certificatesigningrequest-approving": "csrapproving",
  "certificatesigningrequest-signing": "csrapproving",
};

function canonicalName(name: string): string {
  const n = name.replace(/-controller$/, "");
  return ALIASES[n] ?? n;
}

/** The controller names enabled by a --controllers list. */
export function enabledControllers(list: string[] = ["*"]): string[] {
  const all = CONTROLLERS.map(([n]) => n);
  const on = new Set<string>();
  const off = new Set<string>();
  let star = false;
  for (const raw of list.flatMap((l) => l.split(",")).map((s) => s.trim()).filter(Boolean)) {
    if (raw === "*") star = true;
    else if (raw.startsWith("-")) off.add(canonicalName(raw.slice(1)));
    else on.add(canonicalName(raw));
  }
  return all.filter((n) => !off.has(n) && (star || on.has(n)));
}

/** The names the controller manager knows. */
export function knownControllers(): string[] {
  return CONTROLLERS.map(([n]) => n);
}

async function startAll(client: Client, opts: ControllerManagerOptions): Promise<RunningController> {
  const ctx = newControllerContext(client, {
    clusterCIDR: opts.clusterCIDR ?? "10.42.0.0/16",
    serviceCIDR: opts.serviceCIDR ?? "10.43.0.0/16",
    nodeCIDRMaskSize: opts.nodeCIDRMaskSize ?? 24,
    rootCAPEM: opts.rootCAPEM,
    signCSR: opts.signCSR,
    nodeMonitorGracePeriodMs: opts.nodeMonitorGracePeriodMs ?? 40_000,
    terminatedPodGCThreshold: opts.terminatedPodGCThreshold ?? 12_500,
    factory: opts.factory,
  });
  const enabled = new Set(enabledControllers(opts.controllers));
  const running: RunningController[] = [];
  for (const [name, start] of CONTROLLERS) {
    if (!enabled.has(name)) continue;
    running.push(await start(ctx));
  }
  ctx.factory.start();
  return {
    async stop() {
      await Promise.all(running.map((r) => r.stop()));
      if (!opts.factory) ctx.factory.stop();
    },
  };
}

/** Starts the controller manager; resolves once started (or campaigning, with leader election). */
export async function startControllerManager(client: Client, opts: ControllerManagerOptions = {}): Promise<{ stop(): Promise<void> }> {
  if (opts.leaderElection === false) return startAll(client, opts);
  let current: Promise<RunningController> | undefined;
  const elector = startLeaderElection(client, {
    name: "kube-controller-manager",
    identity: opts.identity ?? `${hostname()}_${randomUUID()}`,
    leaseDurationMs: opts.leaseDurationMs,
    renewDeadlineMs: opts.renewDeadlineMs,
    retryPeriodMs: opts.retryPeriodMs,
    onStartedLeading() {
      current = startAll(client, opts);
    },
    onStoppedLeading() {
      const c = current;
      current = undefined;
      void c?.then((r) => r.stop());
    },
  });
  return {
    async stop() {
      await elector.stop();
      await (await current)?.stop();
    },
  };
}

export type { ControllerContext, ControllerSettings, CSRSignRequest, RunningController } from "./util/context.ts";
