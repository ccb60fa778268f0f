/**
 * A CronJob schedule checked as upstream's robfig/cron ParseStandard does:
 * five fields (minute hour day-of-month month day-of-week) with *, ?, ranges,
 * steps, lists and month/weekday names, or a descriptor (@hourly, @every 1h, ...),
 * optionally after TZ= or CRON_TZ=. The messages are robfig's.
 */

interface FieldBounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: FieldBounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 0, max: 6, names: DAYS }];
const DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/** Go's strconv.Atoi for the message robfig wraps. */
function parseNumber(expr: string): number | string {
  if (!/^[+-]?\d+$/.test(expr)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`;
  const n = Number(expr);
  return n < 0 ? `negative number (${n}) not allowed: ${expr}` : n;
}

function parseValue(expr: string, bounds: FieldBounds): number | string {
  const named = bounds.names?.[expr.toLowerCase()];
  return named ?? parseNumber(expr);
}

/** One comma-separated part of a field: *, ?, N, N-M, with an optional /step. */
function checkRange(expr: string, bounds: FieldBounds): string | undefined {
  const steps = expr.split("/");
  if (steps.length > 2) return `too many slashes: ${expr}`;
  const range = steps[0].split("-");
  if (range.length > 2) return `too many hyphens: ${expr}`;
  let start = bounds.min;
  let end = bounds.max;
  if (range[0] !== "*" && range[0] !== "?") {
    const s = parseValue(range[0], bounds);
    if (typeof s === "string") return s;
    start = s;
    end = s;
    if (range.length === 2) {
      const e = parseValue(range[1], bounds);
      if (typeof e === "string") return e;
      end = e;
    }
  }
  if (steps.length === 2) {
    const step = parseNumber(steps[1]);
    if (typeof step === "string") return step;
    if (step <= 0) return `step of range should be a positive number: ${expr}`;
    // "N/step" means N through the maximum
    if (range.length === 1 && range[0] !== "*" && range[0] !== "?") end = bounds.max;
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

function checkDescriptor(spec: string): string | undefined {
  if (DESCRIPTORS.includes(spec)) return undefined;
  if (spec.startsWith("@every ")) {
    const d = spec.slice("@every ".length);
    return /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/.test(d) && /[0-9]/.test(d) ? undefined : `failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`;
  }
  return `unrecognized descriptor: ${spec}`;
}

/** Why a schedule does not parse (robfig's wording), or undefined when it does. */
export function cronScheduleError(schedule: string): string | undefined {
  let spec = schedule.trim();
  if (!spec) return "empty spec string";
  const tz = /^(TZ|CRON_TZ)=(\S*)/.exec(spec);
  if (tz) {
    if (!knownTimeZone(tz[2])) return `provided bad location ${tz[2]}: unknown time zone ${tz[2]}`;
    spec = spec.slice(tz[0].length).trim();
  }
  if (spec.startsWith("@")) return checkDescriptor(spec);
  const fields = spec.split(/\s+/).filter((f) => f);
  if (fields.length !== FIELDS.length) return `expected exactly ${FIELDS.length} fields, found ${fields.length}: [${fields.join(" ")}]`;
  for (let i = 0; i < fields.length; i++) {
    for (const part of fields[i].split(",")) {
      const bad = checkRange(part, FIELDS[i]);
      if (bad) return bad;
    }
  }
  return undefined;
}

/** True when the IANA zone exists (Go's time.LoadLocation; "UTC" and "" are built in). */
export function knownTimeZone(zone: string): boolean {
  if (zone === "" || zone === "UTC") return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
