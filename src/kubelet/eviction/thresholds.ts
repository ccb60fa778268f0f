/**
 * Eviction thresholds as the kubelet flags state them (k3s passes them with
 * --kubelet-arg): eviction-hard, eviction-soft, eviction-soft-grace-period,
 * eviction-minimum-reclaim, eviction-max-pod-grace-period and
 * eviction-pressure-transition-period, with upstream's defaults and checks.
 */
import { parseQuantity } from "../../client/mod.ts";

/** The signals upstream's eviction manager watches (the ones this node can observe). */
export const SIGNALS = ["memory.available", "nodefs.available", "nodefs.inodesFree", "imagefs.available", "imagefs.inodesFree", "pid.available"] as const;
/** One eviction signal. */
export type Signal = (typeof SIGNALS)[number];

/** A threshold's value: an absolute quantity (bytes, inodes, pids) or a fraction of capacity. */
export interface ThresholdValue {
  /** absolute amount, and the text it was written as (messages repeat it) */
  quantity?: { value: number; text: string };
  /** 0..1, as a float32 like upstream's */
  percentage?: number;
}

/** One threshold: a signal below its value for gracePeriodMs (0 = hard) means pressure. */
export interface Threshold {
  signal: Signal;
  value: ThresholdValue;
  /** 0 for hard thresholds */
  gracePeriodMs: number;
  minReclaim?: ThresholdValue;
}

/** Everything the eviction manager is configured with. */
export interface EvictionConfig {
  thresholds: Threshold[];
  /** how long a pressure condition stays True after its threshold stopped being met; default 5m */
  pressureTransitionPeriodMs: number;
  /** the grace period cap for soft evictions, seconds; 0 = the pod's own */
  maxPodGracePeriodSeconds: number;
}

/** Upstream's --eviction-hard default. */
export const DEFAULT_EVICTION_HARD = "memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%";

const isSignal = (s: string): s is Signal => (SIGNALS as readonly string[]).includes(s);

function checkSignal(flag: string, signal: string): Signal {
  if (!isSignal(signal)) throw new Error(`invalid kubelet argument ${flag}: unsupported eviction signal ${JSON.stringify(signal)}`);
  return signal;
}

/** Splits "a<b,c<d" (or "a=b,c=d") into pairs; an entry without the separator is an error naming it. */
function splitMap(flag: string, text: string, sep: "<" | "="): [string, string][] {
  const out: [string, string][] = [];
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf(sep);
    if (i <= 0) throw new Error(`invalid kubelet argument ${flag}: ${JSON.stringify(part)} is not of the form signal${sep}value`);
    out.push([part.slice(0, i).trim(), part.slice(i + 1).trim()]);
  }
  return out;
}

function parsePercent(flag: string, signal: string, text: string): number {
  const n = Number(text.slice(0, -1));
  if (!text.slice(0, -1).trim() || !Number.isFinite(n)) throw new Error(`invalid kubelet argument ${flag}: ${signal} has a malformed percentage ${JSON.stringify(text)}`);
  return Math.fround(n / 100);
}

function parseAmount(flag: string, signal: string, text: string): { value: number; text: string } {
  try {
    return { value: parseQuantity(text), text };
  } catch {
    throw new Error(`invalid kubelet argument ${flag}: ${signal} has a malformed quantity ${JSON.stringify(text)}`);
  }
}

/** One "signal<value" statement; undefined for 0% and 100%, which upstream ignores. */
function parseStatement(flag: string, signal: Signal, text: string): Threshold | undefined {
  if (text.endsWith("%")) {
    if (text === "0%" || text === "100%") return undefined;
    const p = parsePercent(flag, signal, text);
    if (p < 0 || p > 1) throw new Error(`invalid kubelet argument ${flag}: eviction percentage threshold ${signal} must be between 0% and 100%: ${text}`);
    return { signal, value: { percentage: p }, gracePeriodMs: 0 };
  }
  const q = parseAmount(flag, signal, text);
  if (q.value <= 0) throw new Error(`invalid kubelet argument ${flag}: eviction threshold ${signal} must be positive: ${text}`);
  return { signal, value: { quantity: q }, gracePeriodMs: 0 };
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("1m30s", "5m", "0") in milliseconds. */
export function parseGoDuration(text: string): number {
  const t = text.trim();
  if (/^[+-]?0$/.test(t)) return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < t.length) {
    re.lastIndex = at;
    const m = re.exec(t);
    if (!m) throw new Error(`invalid duration ${JSON.stringify(text)}`);
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    at = re.lastIndex;
  }
  if (!t) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return total;
}

/** The kubelet flags this module reads, by name without dashes. */
export type EvictionFlags = Partial<Record<"eviction-hard" | "eviction-soft" | "eviction-soft-grace-period" | "eviction-minimum-reclaim" | "eviction-max-pod-grace-period" | "eviction-pressure-transition-period", string>>;

function parseThresholds(flag: string, text: string): Threshold[] {
  const out: Threshold[] = [];
  for (const [s, v] of splitMap(flag, text, "<")) {
    const t = parseStatement(flag, checkSignal(flag, s), v);
    if (t) out.push(t);
  }
  return out;
}

function parseMinReclaims(text: string): Map<Signal, ThresholdValue> {
  const flag = "eviction-minimum-reclaim";
  const out = new Map<Signal, ThresholdValue>();
  for (const [s, v] of splitMap(flag, text, "=")) {
    const signal = checkSignal(flag, s);
    if (v.endsWith("%")) {
      const p = parsePercent(flag, signal, v);
      if (p <= 0) throw new Error(`invalid kubelet argument ${flag}: eviction percentage minimum reclaim ${signal} must be positive: ${v}`);
      out.set(signal, { percentage: p });
    } else {
      const q = parseAmount(flag, signal, v);
      if (q.value < 0) throw new Error(`invalid kubelet argument ${flag}: negative eviction minimum reclaim specified for ${signal}`);
      out.set(signal, { quantity: q });
    }
  }
  return out;
}

function parseGracePeriods(text: string): Map<Signal, number> {
  const flag = "eviction-soft-grace-period";
  const out = new Map<Signal, number>();
  for (const [s, v] of splitMap(flag, text, "=")) {
    const signal = checkSignal(flag, s);
    let ms: number;
    try {
      ms = parseGoDuration(v);
    } catch {
      throw new Error(`invalid kubelet argument ${flag}: ${signal} has a malformed duration ${JSON.stringify(v)}`);
    }
    if (ms < 0) throw new Error(`invalid kubelet argument ${flag}: eviction grace period for ${signal} must be positive: ${v}`);
    out.set(signal, ms);
  }
  return out;
}

function parseSeconds(flag: string, text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^-?\d+$/.test(text.trim())) throw new Error(`invalid kubelet argument ${flag}: ${JSON.stringify(text)} is not a whole number of seconds`);
  return Number(text);
}

/** The eviction configuration from the flags; an absent eviction-hard means upstream's defaults, a given one replaces them. */
export function parseEvictionConfig(flags: EvictionFlags): EvictionConfig {
  const hard = parseThresholds("eviction-hard", flags["eviction-hard"] ?? DEFAULT_EVICTION_HARD);
  const soft = parseThresholds("eviction-soft", flags["eviction-soft"] ?? "");
  const graces = parseGracePeriods(flags["eviction-soft-grace-period"] ?? "");
  for (const t of soft) {
    const g = graces.get(t.signal);
    if (g === undefined) throw new Error(`invalid kubelet argument eviction-soft: grace period must be specified for the soft eviction threshold ${t.signal}`);
    t.gracePeriodMs = g;
  }
  const thresholds = [...hard, ...soft];
  const reclaims = parseMinReclaims(flags["eviction-minimum-reclaim"] ?? "");
  for (const t of thresholds) {
    const r = reclaims.get(t.signal);
    if (r) t.minReclaim = r;
  }
  let transition = 5 * 60_000;
  const tp = flags["eviction-pressure-transition-period"];
  if (tp !== undefined) {
    try {
      transition = parseGoDuration(tp);
    } catch {
      throw new Error(`invalid kubelet argument eviction-pressure-transition-period: malformed duration ${JSON.stringify(tp)}`);
    }
  }
  return { thresholds, pressureTransitionPeriodMs: transition, maxPodGracePeriodSeconds: parseSeconds("eviction-max-pod-grace-period", flags["eviction-max-pod-grace-period"]) };
}

/** The amount a threshold value stands for against a capacity (upstream's GetThresholdQuantity). */
export function thresholdAmount(value: ThresholdValue, capacity: number): number {
  if (value.quantity) return value.quantity.value;
  // upstream multiplies in float64 by a float32 percentage and truncates
  return Math.trunc(capacity * (value.percentage ?? 0));
}

/** Whether the threshold is hard (no grace period). */
export function isHard(t: Threshold): boolean {
  return t.gracePeriodMs === 0;
}

/** The eviction flags among kubelet args ("eviction-hard=...", "--eviction-hard=..."); other args are left alone. */
export function evictionFlagsFromArgs(args: readonly string[]): EvictionFlags {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const a = arg.replace(/^--?/, "");
    const i = a.indexOf("=");
    const name = i < 0 ? a : a.slice(0, i);
    if (!name.startsWith("eviction-")) continue;
    if (i < 0) throw new Error(`invalid kubelet argument ${JSON.stringify(arg)}: ${name} needs a value (${name}=...)`);
    if (!["eviction-hard", "eviction-soft", "eviction-soft-grace-period", "eviction-minimum-reclaim", "eviction-max-pod-grace-period", "eviction-pressure-transition-period"].includes(name)) continue;
    out[name] = a.slice(i + 1);
  }
  return out as EvictionFlags;
}
