/** What every crictl subcommand gets: the CRI clients, the call timeout and where output goes. */
import { status as grpcStatus } from "@grpc/grpc-js";
import { CriError, type CriClient } from "../../../kubelet/cri/mod.ts";
import type { FlagSpec, ParsedArgs } from "./args.ts";
import { statusOutput, type StatusDoc } from "./output.ts";
import type { VerboseCri } from "./rpc.ts";

/** Output streams and stdin, injectable for tests. */
export interface CrictlIo {
  out(text: string): void;
  err(text: string): void;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  /** terminal size for exec -t (columns, rows), undefined when stdout is not a terminal */
  termSize?(): { width: number; height: number } | undefined;
}

/** The connection and settings of one crictl run. */
export interface CrictlContext {
  /** RuntimeService endpoint */
  runtime: CriClient;
  /** ImageService endpoint (the runtime's unless --image-endpoint differs) */
  images: CriClient;
  runtimeVerbose: VerboseCri;
  imagesVerbose: VerboseCri;
  /** per-call deadline from --timeout */
  timeoutMs: number;
  io: CrictlIo;
  /** aborted on Ctrl-C for commands that run until interrupted */
  signal: AbortSignal;
}

/** One subcommand. */
export interface CrictlCommand {
  name: string;
  aliases?: string[];
  usage: string;
  argsUsage?: string;
  flags: FlagSpec[];
  /** runs the command; resolves to the exit code */
  run(ctx: CrictlContext, args: ParsedArgs): Promise<number>;
  /** runs until interrupted (logs -f, stats -w, port-forward): Ctrl-C ends it with exit code 0, as crictl does */
  interruptible?: boolean;
}

/** Ends the run with an exit code and an optional message (exec passes the command's status through). */
export class ExitError extends Error {
  override name = "ExitError";
  constructor(
    readonly exitCode: number,
    message = "",
  ) {
    super(message);
  }
}

/** Thrown for crictl's "show the subcommand's help" answers to wrong arguments. */
export class ShowHelp extends Error {
  override name = "ShowHelp";
}

/** The -o/--output flag with crictl's wording and an optional default. */
export function outputFlag(formats: string, def?: string): FlagSpec {
  return { name: "output", aliases: ["o"], type: "string", usage: `Output format, One of: ${formats}`, ...(def ? { default: def } : {}) };
}

/** The pod name/namespace crictl reads from a container's labels ("unknown" when absent). */
export function fromLabels(labels: Record<string, string> | undefined, key: "name" | "namespace"): string {
  return labels?.[`io.kubernetes.pod.${key}`] ?? "unknown";
}

/** Compiles a --name/--namespace pattern as Go's regexp would match it (unanchored). */
export function compilePattern(pattern: string): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw new Error(`invalid regular expression "${pattern}": ${(e as Error).message}`);
  }
}

/** How many of `total` the --latest/--last flags keep. */
export function truncateCount(total: number, latest: boolean, last: number): number {
  let n = total;
  if (latest) n = 1;
  if (last > 0) n = last;
  return Math.min(n, total);
}

/** Sorts newest first by an int64 nanosecond created_at. */
export function newestFirst<T extends { created_at: string }>(items: T[]): T[] {
  return items.sort((a, b) => (BigInt(b.created_at) > BigInt(a.created_at) ? 1 : BigInt(b.created_at) < BigInt(a.created_at) ? -1 : 0));
}

/** Go's %v of a map[string]string: "map[k1:v1 k2:v2]" with sorted keys. */
export function goMap(m: Record<string, string>): string {
  return `map[${Object.keys(m).sort().map((k) => `${k}:${m[k]}`).join(" ")}]`;
}

/** crictl's "Labels:"/"Annotations:" block: a title and one tab-indented `k -> v` line per sorted key; nothing for an empty map (nil in Go). */
export function labelBlock(title: string, m: Record<string, string> | undefined): string {
  if (!m || !Object.keys(m).length) return "";
  return `${title}:\n${Object.keys(m).sort().map((k) => `\t${k} -> ${m[k]}\n`).join("")}`;
}

/** Runs all, then fails with every error joined (crictl's AggregateGoroutines). */
export async function settleAll(work: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const errors = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
  if (errors.length) throw new Error(errors.join("\n"));
}

/** An error's text as crictl shows it; CRI failures read as Go's gRPC errors ("rpc error: code = NotFound desc = ..."). */
export function errorText(e: unknown): string {
  if (e instanceof CriError) {
    const name = e.code === 0 ? "OK" : (grpcStatus[e.code] ?? String(e.code)).toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
    return `rpc error: code = ${name} desc = ${e.details}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Awaits work, prefixing its error message with what was being done (crictl's "%s: %w"). */
export async function doing<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw new Error(`${what}: ${errorText(e)}`);
  }
}

/** How inspect, inspectp and inspecti fetch and show one object. */
export interface StatusSource<T> {
  fetch(id: string, verbose: boolean): Promise<{ status: T; info: Record<string, string> }>;
  /** the protojson document of -o json|yaml */
  doc(status: T): unknown;
  /** the -o table text */
  table(status: T, info: Record<string, string>, verbose: boolean): string;
}

/** crictl's resourceStatus: every id fetched (verbose unless -q), printed as table text or one json/yaml document. */
export async function printStatuses<T>(ctx: CrictlContext, p: ParsedArgs, ids: string[], src: StatusSource<T>): Promise<number> {
  if (!ids.length) {
    ctx.io.err("No IDs provided or nothing found per filter\n");
    throw new ShowHelp();
  }
  const verbose = p.flags.quiet !== true;
  const output = typeof p.flags.output === "string" && p.flags.output ? p.flags.output : "json";
  const docs: StatusDoc[] = [];
  for (const id of ids) {
    const r = await src.fetch(id, verbose);
    if (output === "table") ctx.io.out(src.table(r.status, r.info, verbose));
    else docs.push({ status: src.doc(r.status), info: r.info });
  }
  ctx.io.out(statusOutput(docs, output));
  return 0;
}
