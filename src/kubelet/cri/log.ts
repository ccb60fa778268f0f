/** The CRI container log format: `<RFC3339Nano> <stdout|stderr> <F|P> <text>`. */

/** One parsed line of a CRI log file. */
export interface CriLogLine {
  /** the timestamp as written (RFC3339Nano, trailing zeros trimmed) */
  time: string;
  /** milliseconds since the epoch (for sinceSeconds/sinceTime) */
  timeMs: number;
  stream: "stdout" | "stderr";
  /** P: the line was split because it was too long; more follows */
  partial: boolean;
  text: string;
}

/** Parses one line (without its newline); undefined when it is not in CRI format. */
export function parseCriLogLine(line: string): CriLogLine | undefined {
  const a = line.indexOf(" ");
  const b = line.indexOf(" ", a + 1);
  const c = line.indexOf(" ", b + 1);
  if (a < 0 || b < 0) return undefined;
  const time = line.slice(0, a);
  const stream = line.slice(a + 1, b);
  if (stream !== "stdout" && stream !== "stderr") return undefined;
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  const text = c < 0 ? "" : line.slice(c + 1);
  const timeMs = Date.parse(time);
  if (Number.isNaN(timeMs)) return undefined;
  return { time, timeMs, stream, partial: tag.split(":").includes("P"), text };
}

/** An int64 nanosecond timestamp (decimal string) as RFC3339 with second precision, as pod status shows it; "" for 0. */
export function criTimestampToRFC3339(ns: string | number | bigint): string {
  const n = BigInt(ns);
  if (n <= 0n) return "";
  const seconds = Number(n / 1_000_000_000n);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
