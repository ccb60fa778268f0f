/** Standard 5-field cron schedules (with @macros, @every and an optional time zone) as robfig/cron parses them. */

interface Field {
  set: Set<number>;
  star: boolean;
}

export interface CronSchedule {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
  timeZone?: string;
  /** "@every <duration>": a constant delay in ms (whole seconds, as robfig), counted from the last scheduled time */
  everyMs?: number;
}

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function parseField(text: string, min: number, max: number, names?: string[], nameBase = 0): Field {
  const set = new Set<number>();
  const value = (v: string): number => {
    const i = names?.indexOf(v.toLowerCase()) ?? -1;
    const n = i >= 0 ? i + nameBase : Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`invalid cron value ${JSON.stringify(v)} (allowed ${min}-${max})`);
    return n;
  };
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`invalid cron step ${JSON.stringify(part)}`);
    let lo: number;
    let hi: number;
    if (range === "*" || range === "?") [lo, hi] = [min, max];
    else if (range.includes("-")) {
      const [a, b] = range.split("-");
      [lo, hi] = [value(a), value(b)];
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let i = lo; i <= hi; i += step) set.add(i);
  }
  return { set, star: text === "*" || text === "?" || text.startsWith("*/") };
}

/** Parses "m h dom mon dow", a macro, and a leading "CRON_TZ=Zone " or the CronJob's timeZone. */
export function parseCron(expr: string, timeZone?: string): CronSchedule {
  let text = expr.trim();
  let tz = timeZone;
  const m = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(text);
  if (m) [tz, text] = [m[1], m[2]];
  if (text.startsWith("@every ")) return everySchedule(text.slice("@every ".length).trim(), tz);
  text = MACROS[text] ?? text;
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new Error(`invalid cron schedule ${JSON.stringify(expr)}: expected 5 fields`);
  if (tz) new Intl.DateTimeFormat("en-US", { timeZone: tz });
  const dow = parseField(parts[4], 0, 7, DAYS);
  if (dow.set.has(7)) dow.set.add(0);
  return {
    minute: parseField(parts[0], 0, 59),
    hour: parseField(parts[1], 0, 23),
    dom: parseField(parts[2], 1, 31),
    month: parseField(parts[3], 1, 12, MONTHS, 1),
    dow,
    timeZone: tz,
  };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration for "@every", cut to whole seconds (at least one) as robfig's Every does */
function everySchedule(duration: string, tz: string | undefined): CronSchedule {
  const parts = [...duration.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== duration) throw new Error(`invalid duration ${JSON.stringify(duration)}`);
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]], 0);
  const all: Field = { set: new Set(), star: true };
  return { minute: all, hour: all, dom: all, month: all, dow: all, timeZone: tz, everyMs: Math.max(1000, Math.floor(ms / 1000) * 1000) };
}

function wallClock(t: number, tz: string | undefined): { minute: number; hour: number; day: number; month: number; weekday: number } {
  if (!tz || tz === "UTC" || tz === "Etc/UTC") {
    const d = new Date(t);
    return { minute: d.getUTCMinutes(), hour: d.getUTCHours(), day: d.getUTCDate(), month: d.getUTCMonth() + 1, weekday: d.getUTCDay() };
  }
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, hour12: false, minute: "numeric", hour: "numeric", day: "numeric", month: "numeric", weekday: "short" }).formatToParts(new Date(t));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "0";
  return { minute: Number(get("minute")), hour: Number(get("hour")) % 24, day: Number(get("day")), month: Number(get("month")), weekday: DAYS.indexOf(get("weekday").toLowerCase().slice(0, 3)) };
}

/** Whether a minute (epoch ms, floored to the minute) matches the schedule. */
export function matches(s: CronSchedule, t: number): boolean {
  const w = wallClock(t, s.timeZone);
  if (!s.minute.set.has(w.minute) || !s.hour.set.has(w.hour) || !s.month.set.has(w.month)) return false;
  // day-of-month and day-of-week are ORed when both are restricted (cron's rule)
  const domOk = s.dom.set.has(w.day);
  const dowOk = s.dow.set.has(w.weekday);
  if (s.dom.star || s.dow.star) return domOk && dowOk;
  return domOk || dowOk;
}

/** Scheduled times in (after, upTo], oldest first, at most `limit` of them. */
export function scheduledTimes(s: CronSchedule, range: { after: number; upTo: number; limit?: number }): number[] {
  const out: number[] = [];
  const limit = range.limit ?? 101;
  if (s.everyMs) {
    for (let t = Math.floor(range.after / 1000) * 1000 + s.everyMs; t <= range.upTo && out.length < limit; t += s.everyMs) out.push(t);
    return out;
  }
  let t = Math.floor(range.after / 60_000) * 60_000 + 60_000;
  // bound the scan: a year of minutes
  const end = Math.min(range.upTo, range.after + 366 * 24 * 3600_000);
  for (; t <= end && out.length < limit; t += 60_000) if (matches(s, t)) out.push(t);
  return out;
}

/** The next scheduled time after `after` (within a year), or undefined. */
export function nextTime(s: CronSchedule, after: number): number | undefined {
  if (s.everyMs) return Math.floor(after / 1000) * 1000 + s.everyMs;
  return scheduledTimes(s, { after, upTo: after + 366 * 24 * 3600_000, limit: 1 })[0];
}
