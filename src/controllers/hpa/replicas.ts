/** The HPA's replica arithmetic (upstream's replica calculator, resource metrics). */

/** Desired replicas from a usage ratio (current/target), with upstream's 10% tolerance. */
export function desiredFromRatio(current: number, ratio: number): number {
  if (!Number.isFinite(ratio) || Math.abs(ratio - 1) <= 0.1) return current;
  return Math.ceil(current * ratio);
}

/** Applies min/max and the scale-down stabilization window (the highest recent recommendation wins). */
export function stabilize(desired: number, opts: { min: number; max: number; recent: { at: number; replicas: number }[]; windowMs: number; now?: number }): number {
  const now = opts.now ?? Date.now();
  const inWindow = opts.recent.filter((r) => now - r.at <= opts.windowMs).map((r) => r.replicas);
  const stabilized = Math.max(desired, ...inWindow);
  return Math.min(opts.max, Math.max(opts.min, stabilized));
}
