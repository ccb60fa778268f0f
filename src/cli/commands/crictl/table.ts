/**
 * crictl's text output: tables laid out as Go's text/tabwriter does with
 * crictl's settings (min width 20, padding 3, spaces), and the humanised
 * durations and sizes of docker/go-units that its columns use.
 */

/** A table written all at once, as crictl's display flushes it. */
export class Table {
  readonly #rows: string[][] = [];

  /** Adds a row of cells. */
  addRow(cells: string[]): void {
    this.#rows.push(cells);
  }

  /** The laid-out text: every cell but a row's last is padded to max(20, widest + 3). */
  render(): string {
    const widths: number[] = [];
    for (const row of this.#rows) {
      row.slice(0, -1).forEach((cell, i) => {
        widths[i] = Math.max(widths[i] ?? 20, [...cell].length + 3);
      });
    }
    return this.#rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell + " ".repeat(widths[i]! - [...cell].length) : cell)).join("") + "\n").join("");
  }
}

/** IDs as crictl shows them: prefix removed, cut to 13 characters. */
export function truncateId(id: string, prefix = ""): string {
  const bare = prefix && id.startsWith(prefix) ? id.slice(prefix.length) : id;
  return bare.length > 13 ? bare.slice(0, 13) : bare;
}

/** go-units HumanDuration: "Less than a second", "About a minute", "3 hours", "2 weeks"... */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** "<duration> ago" for an int64 nanosecond timestamp, as the CREATED columns print it. */
export function ago(nanos: string | number, now = Date.now()): string {
  const ms = Number(BigInt(nanos) / 1_000_000n);
  return `${humanDuration(now - ms)} ago`;
}

/** Go's %.<p>g: shortest of %e/%f at p significant digits, trailing zeros dropped. */
export function formatG(x: number, precision: number): string {
  if (x === 0) return "0";
  const [mant, expText] = x.toExponential(precision - 1).split("e");
  const exp = Number(expText);
  if (exp < -4 || exp >= precision) {
    const m = mant!.includes(".") ? mant!.replace(/0+$/, "").replace(/\.$/, "") : mant!;
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const fixed = x.toFixed(Math.max(0, precision - 1 - exp));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

const DECIMAL_UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/** go-units HumanSizeWithPrecision: decimal units, e.g. "4.4MB", "123kB". */
export function humanSize(bytes: number, precision = 4): string {
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < DECIMAL_UNITS.length - 1) {
    size /= 1000;
    i++;
  }
  return `${formatG(size, precision)}${DECIMAL_UNITS[i]}`;
}
