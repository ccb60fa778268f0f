/** The scheduler: binds pending pods to nodes; runs under leader election when asked. */
import type { Client } from "../client/client.ts";
import type { SharedInformerFactory } from "../client/factory.ts";
import { startLeaderElection } from "../client/leaderelection.ts";
import { Scheduler } from "./scheduler.ts";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";

export interface SchedulerOptions {
  /** default "default-scheduler" */
  schedulerName?: string;
  /** elect through the kube-system/kube-scheduler Lease; default true */
  leaderElection?: boolean;
  /** leader-election identity; default "<hostname>_<uuid>" */
  identity?: string;
  /** share informers with other components */
  factory?: SharedInformerFactory;
  unschedulableRetryMs?: number;
  /** lease timings (tests shorten them) */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

/** Starts the scheduler (under leader election unless disabled). */
export async function startScheduler(client: Client, opts: SchedulerOptions = {}): Promise<{ stop(): Promise<void> }> {
  const make = (): Scheduler =>
    new Scheduler(client, { schedulerName: opts.schedulerName, factory: opts.factory, unschedulableRetryMs: opts.unschedulableRetryMs });
  if (opts.leaderElection === false) {
    const s = make();
    await s.start();
    return { stop: () => s.stop() };
  }
  let current: Scheduler | undefined;
  const elector = startLeaderElection(client, {
    name: "kube-scheduler",
    identity: opts.identity ?? `${hostname()}_${randomUUID()}`,
    leaseDurationMs: opts.leaseDurationMs,
    renewDeadlineMs: opts.renewDeadlineMs,
    retryPeriodMs: opts.retryPeriodMs,
    async onStartedLeading() {
      current = make();
      await current.start();
    },
    onStoppedLeading() {
      const s = current;
      current = undefined;
      void s?.stop();
    },
  });
  return {
    async stop() {
      await elector.stop();
      await current?.stop();
    },
  };
}

export { Scheduler, type SchedulerCoreOptions } from "./scheduler.ts";
export { NodeInfo, podRequests, nonZeroRequests, type Resources } from "./nodeinfo.ts";
export { defaultFilters, runFilters, fitErrorMessage, buildSnapshot, type Filter, type Snapshot } from "./filters.ts";
export { scoreNodes } from "./scores.ts";
export { planPreemption, podPriority } from "./preemption.ts";
export { tolerates, untoleratedTaint, podMatchesNodeSelectorAndAffinity, nodeMatchesTerm } from "./nodeaffinity.ts";
export { createBindingHandler } from "./binding.ts";
