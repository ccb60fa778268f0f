/** The arithmetic of a rolling update, as upstream's deployment util. */
import type { Deployment, ReplicaSet } from "../../client/types.ts";

export interface IntOrPercentOptions {
  total: number;
  roundUp: boolean;
  /** used when the value is unset, e.g. "25%" */
  dflt: string;
}

/** An int-or-percent against a total; percentages round up (surge) or down (unavailable). */
export function resolveIntOrPercent(v: number | string | undefined, opts: IntOrPercentOptions): number {
  const { total, roundUp, dflt } = opts;
  const val = v ?? dflt;
  if (typeof val === "number") return val;
  const m = /^(\d+)%$/.exec(val);
  if (!m) {
    const n = Number(val);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid int or percent ${JSON.stringify(val)}`);
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** maxSurge and maxUnavailable as numbers; never both zero (unavailable becomes 1). */
export function surgeAndUnavailable(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec.replicas ?? 1;
  if (d.spec.strategy?.type === "Recreate") return { maxSurge: 0, maxUnavailable: replicas };
  const ru = d.spec.strategy?.rollingUpdate;
  const maxSurge = resolveIntOrPercent(ru?.maxSurge, { total: replicas, roundUp: true, dflt: "25%" });
  let maxUnavailable = resolveIntOrPercent(ru?.maxUnavailable, { total: replicas, roundUp: false, dflt: "25%" });
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  if (maxUnavailable > replicas) maxUnavailable = replicas;
  return { maxSurge, maxUnavailable };
}

const specReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 0;
const available = (rs: ReplicaSet): number => rs.status?.availableReplicas ?? 0;

/** The ReplicaSets of one Deployment: all of them, the one with the current template, the others. */
export interface RolloutSets {
  all: ReplicaSet[];
  newRS: ReplicaSet | undefined;
  old: ReplicaSet[];
}

/** The new ReplicaSet's replicas for this step of a rolling update. */
export function newRSReplicas(d: Deployment, sets: Pick<RolloutSets, "all"> & { newRS: ReplicaSet }): number {
  const { all, newRS } = sets;
  const replicas = d.spec.replicas ?? 1;
  const { maxSurge } = surgeAndUnavailable(d);
  const current = all.reduce((s, rs) => s + specReplicas(rs), 0);
  const maxTotal = replicas + maxSurge;
  if (current >= maxTotal) return Math.min(specReplicas(newRS), replicas);
  const up = Math.min(maxTotal - current, replicas - specReplicas(newRS));
  return Math.max(specReplicas(newRS) + Math.max(up, 0), Math.min(specReplicas(newRS), replicas));
}

/**
 * How far old ReplicaSets may be scaled down now: first their unavailable
 * pods, then available ones while keeping replicas - maxUnavailable available.
 * Returns the new replicas per old ReplicaSet name.
 */
export function scaleDownOld(d: Deployment, sets: RolloutSets): Map<string, number> {
  const { all, newRS, old } = sets;
  const out = new Map<string, number>();
  const replicas = d.spec.replicas ?? 1;
  const { maxUnavailable } = surgeAndUnavailable(d);
  const allPods = all.reduce((s, rs) => s + specReplicas(rs), 0);
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = newRS ? specReplicas(newRS) - available(newRS) : 0;
  let maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return out;
  const target = new Map(old.map((rs) => [rs.metadata.name ?? "", specReplicas(rs)]));
  // oldest first
  const sorted = [...old].sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""));
  for (const rs of sorted) {
    if (maxScaledDown <= 0) break;
    const name = rs.metadata.name ?? "";
    const unhealthy = specReplicas(rs) - available(rs);
    if (unhealthy <= 0) continue;
    const n = Math.min(unhealthy, maxScaledDown);
    target.set(name, specReplicas(rs) - n);
    maxScaledDown -= n;
  }
  const availableNow = all.reduce((s, rs) => s + available(rs), 0);
  let canRemove = Math.min(availableNow - minAvailable, maxScaledDown);
  for (const rs of sorted) {
    if (canRemove <= 0) break;
    const name = rs.metadata.name ?? "";
    const cur = target.get(name) ?? 0;
    if (cur === 0) continue;
    const n = Math.min(cur, canRemove);
    target.set(name, cur - n);
    canRemove -= n;
  }
  for (const rs of old) {
    const name = rs.metadata.name ?? "";
    if (target.get(name) !== specReplicas(rs)) out.set(name, target.get(name)!);
  }
  return out;
}

/** rollout complete: all replicas updated and available, none old left. */
export function isComplete(d: Deployment, sets: Pick<RolloutSets, "all" | "newRS">): boolean {
  const { all, newRS } = sets;
  const replicas = d.spec.replicas ?? 1;
  if (!newRS) return replicas === 0 && all.every((rs) => specReplicas(rs) === 0);
  const oldPods = all.filter((rs) => rs !== newRS).reduce((s, rs) => s + (rs.status?.replicas ?? 0) + specReplicas(rs), 0);
  return specReplicas(newRS) === replicas && (newRS.status?.replicas ?? 0) === replicas && available(newRS) >= replicas && oldPods === 0;
}

/**
 * Proportional scaling (a replicas change in the middle of a rollout): the
 * change is spread over the active ReplicaSets in proportion to their size,
 * the largest absorbing the rounding, so the surge budget is respected.
 */
export function proportionalScale(d: Deployment, active: ReplicaSet[]): Map<string, number> {
  const out = new Map<string, number>();
  const { maxSurge } = surgeAndUnavailable(d);
  const allowed = (d.spec.replicas ?? 1) + maxSurge;
  const total = active.reduce((s, rs) => s + specReplicas(rs), 0);
  const toAdd = allowed - total;
  if (toAdd === 0 || total === 0) return out;
  // scaling up favours the largest (newest on ties); scaling down takes from the smallest (oldest) first
  const sorted = [...active].sort((a, b) =>
    toAdd > 0
      ? specReplicas(b) - specReplicas(a) || (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? "")
      : specReplicas(a) - specReplicas(b) || (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""),
  );
  let added = 0;
  for (const rs of sorted) {
    const share = toAdd > 0 ? Math.floor((specReplicas(rs) * toAdd) / total) : -Math.min(specReplicas(rs), Math.floor((specReplicas(rs) * -toAdd) / total));
    out.set(rs.metadata.name ?? "", specReplicas(rs) + share);
    added += share;
  }
  // the rounding leftover goes to the first in order
  let left = toAdd - added;
  for (const rs of sorted) {
    if (left === 0) break;
    const name = rs.metadata.name ?? "";
    const cur = out.get(name)!;
    const next = Math.max(0, cur + left);
    left -= next - cur;
    out.set(name, next);
  }
  return out;
}
