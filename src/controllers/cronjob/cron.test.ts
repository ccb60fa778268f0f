import { test } from "node:test";
import assert from "node:assert/strict";
import { matches, nextTime, parseCron, scheduledTimes } from "./cron.ts";

const at = (s: string): number => Date.parse(s);

test("every minute, steps, ranges, names and macros", () => {
  assert.equal(nextTime(parseCron("* * * * *"), at("2024-01-01T00:00:30Z")), at("2024-01-01T00:01:00Z"));
  assert.equal(nextTime(parseCron("*/15 * * * *"), at("2024-01-01T00:01:00Z")), at("2024-01-01T00:15:00Z"));
  assert.equal(nextTime(parseCron("0 9-17 * * mon-fri"), at("2024-01-06T12:00:00Z")), at("2024-01-08T09:00:00Z"), "saturday → monday 9:00");
  assert.equal(nextTime(parseCron("@daily"), at("2024-01-01T00:00:00Z")), at("2024-01-02T00:00:00Z"));
  assert.equal(matches(parseCron("0 0 1 jan *"), at("2024-01-01T00:00:00Z")), true);
});

test("day of month and day of week are ORed when both are set", () => {
  const s = parseCron("0 0 13 * 5");
  assert.equal(matches(s, at("2024-09-13T00:00:00Z")), true, "friday the 13th");
  assert.equal(matches(s, at("2024-09-06T00:00:00Z")), true, "a friday");
  assert.equal(matches(s, at("2024-10-13T00:00:00Z")), true, "a 13th");
  assert.equal(matches(s, at("2024-10-14T00:00:00Z")), false);
});

test("time zones shift the wall clock", () => {
  const s = parseCron("0 9 * * *", "America/New_York");
  assert.equal(nextTime(s, at("2024-01-01T00:00:00Z")), at("2024-01-01T14:00:00Z"));
  const tz = parseCron("CRON_TZ=Asia/Tokyo 0 9 * * *");
  assert.equal(nextTime(tz, at("2024-01-01T01:00:00Z")), at("2024-01-02T00:00:00Z"));
});

test("missed times are listed oldest first and bad schedules are named", () => {
  assert.deepEqual(scheduledTimes(parseCron("*/20 * * * *"), { after: at("2024-01-01T00:00:00Z"), upTo: at("2024-01-01T01:00:00Z") }), [
    at("2024-01-01T00:20:00Z"),
    at("2024-01-01T00:40:00Z"),
    at("2024-01-01T01:00:00Z"),
  ]);
  assert.throws(() => parseCron("61 * * * *"), /invalid cron value "61"/);
  assert.throws(() => parseCron("* * *"), /expected 5 fields/);
  assert.throws(() => parseCron("* * * * *", "Mars/Base"), RangeError);
});

test("@every counts a constant delay (whole seconds) from the last scheduled time, as robfig's Every", () => {
  const s = parseCron("@every 1h30m");
  assert.equal(s.everyMs, 90 * 60_000);
  assert.deepEqual(scheduledTimes(s, { after: at("2024-01-01T00:00:00.400Z"), upTo: at("2024-01-01T04:00:00Z") }), [at("2024-01-01T01:30:00Z"), at("2024-01-01T03:00:00Z")]);
  assert.equal(nextTime(s, at("2024-01-01T03:00:00Z")), at("2024-01-01T04:30:00Z"));
  assert.equal(parseCron("@every 1.5s").everyMs, 1000);
  assert.equal(parseCron("@every 10ms").everyMs, 1000, "at least one second");
  assert.throws(() => parseCron("@every soon"), /invalid duration "soon"/);
  assert.throws(() => parseCron("@every 5x"), /invalid duration/);
});
