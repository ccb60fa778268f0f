/**
 * Keeps Service allocations in step with storage: loads every stored Service
 * before the server takes writes (a restart must not hand out a held IP), then
 * re-reads on an interval to reclaim what failed writes leaked, as upstream's
 * repair controllers do.
 */
import type { Client } from "../../client/client.ts";
import type { ClusterSettings } from "../kind.ts";
import { type ServiceAllocators, serviceAllocatorsFor } from "./services.ts";

export interface AllocationRepairOptions {
  settings: ClusterSettings;
  /** default: the process-wide allocators for settings (what the Service kind uses) */
  allocators?: ServiceAllocators;
  /** re-read period in ms (default 3 minutes, upstream's repair interval) */
  intervalMs?: number;
  /** reports a failed periodic re-read (the first load throws instead) */
  onError?(err: unknown): void;
}

const SERVICES = { group: "", version: "v1", resource: "services", namespaced: true };

/** Loads every stored Service into the allocators, then repeats on an interval; returns a stop function. */
export async function startServiceAllocationRepair(client: Client, opts: AllocationRepairOptions): Promise<() => void> {
  const alloc = opts.allocators ?? serviceAllocatorsFor(opts.settings);
  const load = async (): Promise<void> => {
    const list = await client.list(SERVICES, undefined);
    alloc.restore(list.items);
  };
  await load();
  const timer = setInterval(() => {
    load().catch((err: unknown) => opts.onError?.(err));
  }, opts.intervalMs ?? 180_000);
  timer.unref();
  return () => clearInterval(timer);
}
