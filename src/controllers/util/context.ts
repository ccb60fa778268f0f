/** What every controller gets when the controller manager starts it. */
import type { KubeObject } from "../../api/types.ts";
import type { Client } from "../../client/client.ts";
import { SharedInformerFactory } from "../../client/factory.ts";
import { createEventRecorder, type EventRecorder } from "../../client/events.ts";
import { WorkQueue } from "../../client/workqueue.ts";
import { runController, type ControllerLoop } from "../../client/runner.ts";
import { objectKey } from "../../client/store.ts";

/** Settings the controllers read (a subset of kube-controller-manager flags). */
export interface ControllerSettings {
  clusterCIDR: string;
  serviceCIDR: string;
  nodeCIDRMaskSize: number;
  /** PEM of the cluster CA, published as kube-root-ca.crt in every namespace */
  rootCAPEM?: string;
  /** signs a CSR's PEM request; returns the certificate PEM */
  signCSR?: (req: CSRSignRequest) => Promise<string>;
  /** node-monitor-grace-period; default 40 s */
  nodeMonitorGracePeriodMs: number;
  /** pod-eviction default toleration (the admission default is 300 s) */
  terminatedPodGCThreshold: number;
}

export interface CSRSignRequest {
  /** PEM-encoded PKCS#10 request */
  requestPEM: string;
  signerName: string;
  usages: string[];
  expirationSeconds?: number;
}

export interface ControllerContext {
  client: Client;
  factory: SharedInformerFactory;
  settings: ControllerSettings;
  recorder(component: string): EventRecorder;
}

/** A started controller. */
export interface RunningController {
  stop(): Promise<void>;
}

/** Builds the controller context (with its own informer factory unless one is shared in). */
export function newControllerContext(client: Client, settings: ControllerSettings & { factory?: SharedInformerFactory }): ControllerContext {
  const recorders = new Map<string, EventRecorder>();
  return {
    client,
    factory: settings.factory ?? new SharedInformerFactory(client),
    settings,
    recorder(component) {
      let r = recorders.get(component);
      if (!r) recorders.set(component, (r = createEventRecorder(client, { component })));
      return r;
    },
  };
}

export interface QueueControllerOptions {
  name: string;
  workers?: number;
  sync(key: string): Promise<void>;
}

/** A work queue with its loop; handlers call enqueue, start() begins the workers. */
export class QueueController {
  readonly queue = new WorkQueue();
  private loop: ControllerLoop | undefined;
  constructor(private readonly opts: QueueControllerOptions) {}

  enqueue = (obj: KubeObject): void => this.queue.add(objectKey(obj));

  start(): void {
    this.loop = runController({ name: this.opts.name, queue: this.queue, workers: this.opts.workers ?? 2, sync: this.opts.sync });
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}

/**
 * Starts the controller's workers and returns its handle; stop() first removes
 * the informer handlers (so nothing enqueues into a stopping queue), then waits
 * for the workers to finish.
 */
export function startQueueController(qc: QueueController, offs: readonly (() => void)[]): RunningController {
  qc.start();
  return {
    async stop() {
      for (const off of offs) off();
      await qc.stop();
    },
  };
}
