/**
 * crictl logs: reads the container's CRI log file (`<time> <stream> <F|P>
 * <text>` lines) as the kubelet's log reader does, writing stdout records to
 * stdout and stderr records to stderr; --follow keeps reading until the
 * container stops, and follows a rotation to the new file.
 */
import { open, stat, type FileHandle } from "node:fs/promises";
import { parseCriLogLine } from "../../../kubelet/cri/mod.ts";
import { bool, num, parseDuration, str, type ParsedArgs } from "./args.ts";
import { doing, ShowHelp, type CrictlCommand, type CrictlContext } from "./context.ts";

/** What to print from a log file. */
export interface LogReadOptions {
  follow: boolean;
  timestamps: boolean;
  /** epoch ms; older records are skipped */
  sinceMs?: number;
  /** last N records only (-1: all) */
  tail: number;
  /** stop after this many bytes (-1: no limit) */
  limitBytes: number;
  stream: "" | "stdout" | "stderr";
}

/** --since as crictl takes it: a Go duration back from now, Unix seconds, or an RFC3339 time (UTC if no zone). */
export function parseSince(value: string, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  try {
    return now - parseDuration(value);
  } catch {
    // not a duration: a time
  }
  const withZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) throw new Error(`failed to parse value as time or duration: "${value}"`);
  return ms;
}

/** Renders complete log lines, applying since/stream; returns [stdout, stderr] text in record order. */
export function renderLines(lines: string[], o: LogReadOptions): { stream: "stdout" | "stderr"; text: string }[] {
  const out: { stream: "stdout" | "stderr"; text: string }[] = [];
  for (const raw of lines) {
    const l = parseCriLogLine(raw);
    if (!l || (o.sinceMs !== undefined && l.timeMs < o.sinceMs) || (o.stream && l.stream !== o.stream)) continue;
    out.push({ stream: l.stream, text: `${o.timestamps ? `${l.time} ` : ""}${l.text}${l.partial ? "" : "\n"}` });
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Streams a log file to the context's outputs. */
export async function readLog(ctx: CrictlContext, path: string, containerId: string, o: LogReadOptions): Promise<void> {
  let fh: FileHandle = await doing(`failed to open log file "${path}"`, open(path, "r"));
  let ino = (await fh.stat()).ino;
  let offset = 0;
  let pending = "";
  let remaining = o.limitBytes >= 0 ? o.limitBytes : Infinity;
  let first = true;
  const emit = (lines: string[]): void => {
    for (const r of renderLines(lines, o)) {
      if (remaining <= 0) return;
      const b = Buffer.from(r.text);
      const text = b.length > remaining ? b.subarray(0, remaining).toString() : r.text;
      remaining -= Math.min(b.length, remaining);
      (r.stream === "stdout" ? ctx.io.out : ctx.io.err)(text);
    }
  };
  try {
    for (let idle = 0; remaining > 0 && !ctx.signal.aborted; ) {
      const { size } = await fh.stat();
      if (size > offset) {
        const buf = Buffer.alloc(size - offset);
        const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
        offset += bytesRead;
        const text = pending + buf.subarray(0, bytesRead).toString("utf8");
        const cut = text.lastIndexOf("\n") + 1;
        pending = text.slice(cut);
        let lines = text.slice(0, cut).split("\n").filter(Boolean);
        if (first && o.tail >= 0) lines = o.tail === 0 ? [] : lines.slice(-o.tail);
        emit(lines);
        first = false;
        idle = 0;
        continue;
      }
      first = false;
      if (!o.follow) return;
      const rotated = await stat(path).then((s) => s.ino !== ino, () => false);
      if (rotated) {
        await fh.close();
        fh = await open(path, "r");
        ino = (await fh.stat()).ino;
        offset = 0;
        continue;
      }
      if (++idle % 5 === 0) {
        const s = await ctx.runtime.containerStatus(containerId).catch(() => undefined);
        if (s?.state !== "CONTAINER_RUNNING" && (await fh.stat()).size <= offset) return;
      }
      await sleep(200);
    }
  } finally {
    await fh.close();
  }
}

/** The log path of the previous instance: same directory, attempt - 1. */
export function previousLogPath(logPath: string, attempt: number, name: string): string {
  if (attempt === 0) throw new Error(`previous terminated container ${name} not found`);
  return `${logPath.slice(0, logPath.lastIndexOf("/") + 1)}${attempt - 1}${logPath.slice(logPath.lastIndexOf("."))}`;
}

async function runLogs(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const id = p.args[0];
  if (!id) throw new Error("ID cannot be empty");
  if (p.args.length > 1) throw new ShowHelp();
  if (bool(p, "reopen")) {
    await doing("reopen container logs", ctx.runtime.reopenContainerLog(id));
  }
  const stream = str(p, "stream");
  if (stream !== "" && stream !== "stdout" && stream !== "stderr") throw new Error(`invalid stream "${stream}", must be "stdout" or "stderr"`);
  if (p.set.has("tail") && p.set.has("stream")) throw new Error("--tail and --stream are mutually exclusive");
  const status = await ctx.runtime.containerStatus(id);
  let path = status.log_path;
  if (!path) throw new Error("the container has not set log path");
  if (bool(p, "previous")) path = previousLogPath(path, status.metadata?.attempt ?? 0, status.metadata?.name ?? "");
  const sinceMs = parseSince(str(p, "since"));
  await readLog(ctx, path, status.id, { follow: bool(p, "follow"), timestamps: bool(p, "timestamps"), tail: num(p, "tail"), limitBytes: num(p, "limit-bytes"), stream, ...(sinceMs !== undefined ? { sinceMs } : {}) });
  return 0;
}

/** The logs subcommand. */
export const LOGS_COMMAND: CrictlCommand = {
  name: "logs",
  usage: "Fetch the logs of a container",
  argsUsage: "CONTAINER-ID",
  flags: [
    { name: "follow", aliases: ["f"], type: "bool", usage: "Follow log output" },
    { name: "previous", aliases: ["p"], type: "bool", usage: "Print the logs for the previous instance of the container in a pod if it exists" },
    { name: "reopen", aliases: ["r"], type: "bool", usage: "Reopen the container logs for the provided container" },
    { name: "tail", type: "int", default: -1, usage: "Number of lines to show from the end of the logs. Defaults to all" },
    { name: "limit-bytes", type: "int", default: -1, usage: "Maximum bytes of logs to return. Defaults to no limit" },
    { name: "since", type: "string", usage: "Show logs since timestamp (e.g. 2013-01-02T13:23:37) or relative (e.g. 42m for 42 minutes)" },
    { name: "timestamps", aliases: ["t"], type: "bool", usage: "Show timestamps" },
    { name: "stream", aliases: ["s"], type: "string", usage: "Show specified stream (stdout or stderr). Defaults to both." },
  ],
  run: runLogs,
  interruptible: true,
};
