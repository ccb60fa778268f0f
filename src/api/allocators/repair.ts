/**
 * Keeps the stored allocation ranges in step with the stored Services, as
 * upstream's repair controllers do: creates a missing range from the Services
 * (a new cluster, or one upgraded from in-memory allocation) before the server
 * takes writes, re-marks values Services hold that the range lost, and frees
 * values no Service holds once they have looked leaked on several passes in a
 * row (an allocation whose create is still in flight must not be freed).
 */
import { ApiError, type Client } from "../../client/client.ts";
import { ConflictError } from "../../datastore/mod.ts";
import type { ClusterSettings } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { AllocationBitmap } from "./bitmap.ts";
import type { StoredRange } from "./range.ts";
import { type ServiceAllocators, serviceAllocatorsFor } from "./services.ts";
import type { RangeSnapshot } from "./store.ts";

/** Passes a value must look leaked on before it is freed (upstream's numRepairsBeforeLeakCleanup). */
const PASSES_BEFORE_LEAK_CLEANUP = 3;
/** Passes retried when another server changed a range in between. */
const CONFLICT_RETRIES = 5;

/** What one repair pass changed, per range key. */
export interface RepairReport {
  /** values Services hold that the stored range had lost */
  remarked: Record<string, number>;
  /** values no Service holds, freed after several passes */
  freed: Record<string, number>;
  /** Services whose values clash with another's or lie outside the ranges (left as they are) */
  problems: string[];
}

/** One repair loop's state: how many passes each apparently leaked value has left. */
export class AllocationRepair {
  readonly #alloc: ServiceAllocators;
  /** range key → offset → passes left before it is freed */
  readonly #leaks = new Map<string, Map<number, number>>();

  constructor(alloc: ServiceAllocators) {
    this.#alloc = alloc;
  }

  /** One pass: read the ranges, then the Services, and write the rebuilt ranges; a range another server changed in between is redone. */
  async runOnce(listServices: () => Promise<KubeObject[]>): Promise<RepairReport> {
    const report: RepairReport = { remarked: {}, freed: {}, problems: [] };
    let pending = this.#alloc.storedRanges();
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > CONFLICT_RETRIES) throw new ConflictError(`service allocation repair: ${pending.map((r) => r.opts.key).join(", ")} kept changing`);
      if (attempt) await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * attempt));
      // ranges first: a value taken after this read changes the revision and fails the write below
      const snapshots = await Promise.all(pending.map((r) => r.read()));
      const { held, problems } = this.#alloc.learn(await listServices());
      report.problems = problems;
      const conflicted: StoredRange[] = [];
      for (const [i, range] of pending.entries()) {
        try {
          await this.#repairRange(range, { snapshot: snapshots[i], held: held.get(range) ?? new Map(), report });
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          conflicted.push(range);
        }
      }
      pending = conflicted;
    }
    return report;
  }

  async #repairRange(range: StoredRange, r: { snapshot: RangeSnapshot | undefined; held: Map<number, string>; report: RepairReport }): Promise<void> {
    const key = range.opts.key;
    // a range whose text changed (another CIDR or port range) starts over from the Services
    const stored = r.snapshot && r.snapshot.range === range.opts.range ? r.snapshot.bits : new AllocationBitmap(range.size);
    const rebuilt = new AllocationBitmap(range.size);
    let remarked = 0;
    for (const o of r.held.keys()) {
      rebuilt.set(o);
      if (!stored.has(o)) remarked++;
    }
    const leaks = this.#leaks.get(key) ?? new Map<number, number>();
    const nextLeaks = new Map<number, number>();
    let freed = 0;
    for (const o of stored.offsets()) {
      if (r.held.has(o)) continue;
      const left = leaks.get(o) ?? PASSES_BEFORE_LEAK_CLEANUP - 1;
      if (left > 0) {
        // still counted as taken until it has looked leaked on enough passes
        rebuilt.set(o);
        nextLeaks.set(o, left - 1);
      } else freed++;
    }
    const same = r.snapshot !== undefined && r.snapshot.range === range.opts.range && remarked === 0 && freed === 0;
    if (!same) await range.write(r.snapshot, rebuilt);
    this.#leaks.set(key, nextLeaks);
    if (remarked) r.report.remarked[key] = remarked;
    if (freed) r.report.freed[key] = freed;
  }
}

export interface AllocationRepairOptions {
  settings: ClusterSettings;
  /** default: the process-wide allocators for settings (what the Service kind uses) */
  allocators?: ServiceAllocators;
  /** re-read period in ms (default 3 minutes, upstream's repair interval) */
  intervalMs?: number;
  /** reports a failed periodic pass (the first pass throws instead) */
  onError?(err: unknown): void;
  /** reports what a pass changed (values re-marked or freed) or found wrong */
  onRepair?(report: RepairReport): void;
}

const SERVICES = { group: "", version: "v1", resource: "services", namespaced: true };

/** Reads stored Services through client (ServiceAllocatorsOptions.storedService): undefined when absent. */
export function storedServiceVia(client: Client): (namespace: string, name: string) => Promise<KubeObject | undefined> {
  return async (namespace, name) => {
    try {
      return await client.get(SERVICES, namespace, name);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return undefined;
      throw err;
    }
  };
}

/** Runs a repair pass before returning (the server must not allocate before it), then repeats on an interval; returns a stop function. */
export async function startServiceAllocationRepair(client: Client, opts: AllocationRepairOptions): Promise<() => void> {
  const repair = new AllocationRepair(opts.allocators ?? serviceAllocatorsFor(opts.settings));
  const pass = async (): Promise<void> => {
    const report = await repair.runOnce(async () => (await client.list(SERVICES, undefined)).items);
    if (Object.keys(report.remarked).length || Object.keys(report.freed).length || report.problems.length) opts.onRepair?.(report);
  };
  await pass();
  const timer = setInterval(() => {
    pass().catch((err: unknown) => opts.onError?.(err));
  }, opts.intervalMs ?? 180_000);
  timer.unref();
  return () => clearInterval(timer);
}
