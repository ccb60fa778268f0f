/**
 * Container logs as `kubectl logs` wants them, read from the CRI log files
 * under /var/log/pods/<ns>_<pod>_<uid>/<container>/<restart>.log.
 */
import { existsSync, openSync, readdirSync, readSync, closeSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseCriLogLine } from "./cri/mod.ts";

/** Which log to read and how (the pods/log query parameters). */
export interface PodLogOptions {
  /** /var/log/pods */
  podLogsDir: string;
  namespace: string;
  pod: string;
  /** the pod's uid; without it the newest matching directory is used */
  uid?: string;
  container: string;
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  /** RFC3339 */
  sinceTime?: string;
  limitBytes?: number;
  signal?: AbortSignal;
  /** for follow: whether the container still runs (the stream ends once it stops) */
  isRunning?: () => Promise<boolean>;
}

/** A log that cannot be served (maps to a 400/404 Status in the API server). */
export class LogNotFoundError extends Error {}

function podDirFor(o: PodLogOptions): string {
  if (o.uid) return join(o.podLogsDir, `${o.namespace}_${o.pod}_${o.uid}`);
  const prefix = `${o.namespace}_${o.pod}_`;
  const dirs = existsSync(o.podLogsDir) ? readdirSync(o.podLogsDir).filter((d) => d.startsWith(prefix) && !d.slice(prefix.length).includes("_")) : [];
  if (!dirs.length) throw new LogNotFoundError(`pod "${o.pod}" in namespace "${o.namespace}" has no logs on this node`);
  return join(o.podLogsDir, dirs.sort((a, b) => statSync(join(o.podLogsDir, b)).mtimeMs - statSync(join(o.podLogsDir, a)).mtimeMs)[0]!);
}

/** The log file of the current (or previous) instance of a container. */
export function containerLogFile(o: PodLogOptions): string {
  const dir = join(podDirFor(o), o.container);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^\d+\.log$/.test(f))
        .map((f) => Number(f.slice(0, -4)))
        .sort((a, b) => b - a)
    : [];
  const pick = o.previous ? files[1] : files[0];
  if (pick === undefined) {
    throw new LogNotFoundError(
      o.previous
        ? `previous terminated container "${o.container}" in pod "${o.pod}" not found`
        : `container "${o.container}" in pod "${o.pod}" is waiting to start: no logs yet`,
    );
  }
  return join(dir, `${pick}.log`);
}

function readFrom(file: string, offset: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const size = statSync(file).size;
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(size - offset);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, offset + n);
      if (r === 0) break;
      n += r;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

/** Streams a container's log as plain text (what GET pods/log returns). */
export async function* podLogStream(o: PodLogOptions): AsyncGenerator<Buffer> {
  const file = containerLogFile(o);
  const since = o.sinceTime ? Date.parse(o.sinceTime) : o.sinceSeconds !== undefined ? Date.now() - o.sinceSeconds * 1000 : undefined;
  let remaining = o.limitBytes ?? Infinity;
  const render = (lines: string[]): Buffer => {
    const out: string[] = [];
    for (const raw of lines) {
      const l = parseCriLogLine(raw);
      if (!l) continue;
      if (since !== undefined && l.timeMs < since) continue;
      out.push((o.timestamps ? `${l.time} ` : "") + l.text + (l.partial ? "" : "\n"));
    }
    let b = Buffer.from(out.join(""));
    if (b.length > remaining) b = b.subarray(0, remaining);
    remaining -= b.length;
    return b;
  };
  let buf = readFrom(file, 0);
  let offset = buf.length;
  let text = buf.toString("utf8");
  let cut = text.lastIndexOf("\n") + 1;
  let lines = text.slice(0, cut).split("\n").filter(Boolean);
  let pending = text.slice(cut);
  if (o.tailLines !== undefined && o.tailLines >= 0) lines = o.tailLines === 0 ? [] : lines.slice(-o.tailLines);
  const first = render(lines);
  if (first.length) yield first;
  if (!o.follow) return;
  let idle = 0;
  while (remaining > 0 && !o.signal?.aborted) {
    buf = readFrom(file, offset);
    if (buf.length) {
      offset += buf.length;
      idle = 0;
      text = pending + buf.toString("utf8");
      cut = text.lastIndexOf("\n") + 1;
      pending = text.slice(cut);
      const b = render(text.slice(0, cut).split("\n").filter(Boolean));
      if (b.length) yield b;
      continue;
    }
    // a stopped container writes no more: end the stream as upstream does
    if (++idle % 5 === 0 && o.isRunning && !(await o.isRunning())) {
      const rest = readFrom(file, offset);
      if (!rest.length) return;
      continue;
    }
    await sleep(200, o.signal);
  }
}
