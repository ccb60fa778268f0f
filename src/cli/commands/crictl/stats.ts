/**
 * crictl stats and statsp: two samples `--seconds` apart give CPU %, the
 * second gives memory and disk. containerd 1.6's CRI has no pod stats call
 * crictl's statsp could use here, so pod figures are the sums of their
 * containers' stats.
 */
import type { ContainerStats } from "../../../kubelet/cri/mod.ts";
import { bool, list, num, parseLabels, str, type ParsedArgs } from "./args.ts";
import { outputFlag, ShowHelp, type CrictlCommand, type CrictlContext } from "./context.ts";
import { listOutput } from "./output.ts";
import { humanSize, Table, truncateId } from "./table.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function v(x: { value: string } | null | undefined): bigint {
  return BigInt(x?.value ?? "0");
}

/** CPU % between two cumulative usage samples (nanoseconds of CPU over nanoseconds of wall time). */
export function cpuPercent(usage: bigint, ts: bigint, oldUsage: bigint, oldTs: bigint): string {
  if (usage === 0n) return "0.00";
  const duration = ts - oldTs;
  if (duration === 0n) throw new Error("cpu stat is not updated during sample");
  return ((Number(usage - oldUsage) / Number(duration)) * 100).toFixed(2);
}

async function containerStats(ctx: CrictlContext, p: ParsedArgs): Promise<ContainerStats[]> {
  const id = str(p, "id") || p.args[0] || "";
  const labels = parseLabels(list(p, "label"));
  const filter = { ...(id ? { id } : {}), ...(str(p, "pod") ? { pod_sandbox_id: str(p, "pod") } : {}), ...(Object.keys(labels).length ? { label_selector: labels } : {}) };
  const stats = await ctx.runtime.listContainerStats(filter);
  return stats.sort((a, b) => ((a.attributes?.id ?? "") < (b.attributes?.id ?? "") ? -1 : 1));
}

async function statsOnce(ctx: CrictlContext, p: ParsedArgs): Promise<string> {
  const first = await containerStats(ctx, p);
  const output = str(p, "output");
  if (output === "json" || output === "yaml") return listOutput({ stats: first }, output, "ListContainerStatsResponse");
  const old = new Map(first.map((s) => [s.attributes?.id ?? "", s]));
  await sleep(num(p, "seconds") * 1000);
  const t = new Table();
  t.addRow(["CONTAINER", "NAME", "CPU %", "MEM", "DISK", "INODES", "SWAP"]);
  for (const s of await containerStats(ctx, p)) {
    const cpu = v(s.cpu?.usage_core_nano_seconds);
    const mem = v(s.memory?.working_set_bytes);
    const prev = old.get(s.attributes?.id ?? "");
    if ((!bool(p, "all") && cpu === 0n && mem === 0n) || !prev) continue;
    const perc = cpuPercent(cpu, BigInt(s.cpu?.timestamp ?? "0"), v(prev.cpu?.usage_core_nano_seconds), BigInt(prev.cpu?.timestamp ?? "0"));
    const disk = v(s.writable_layer?.used_bytes);
    t.addRow([truncateId(s.attributes?.id ?? ""), s.attributes?.metadata?.name ?? "", perc, humanSize(Number(mem)), humanSize(Number(disk)), String(v(s.writable_layer?.inodes_used)), humanSize(0)]);
  }
  return t.render();
}

interface PodSample {
  id: string;
  name: string;
  cpu: bigint;
  ts: bigint;
  mem: bigint;
}

async function podSamples(ctx: CrictlContext, p: ParsedArgs): Promise<Map<string, PodSample>> {
  const id = str(p, "id") || p.args[0] || "";
  const labels = parseLabels(list(p, "label"));
  const pods = await ctx.runtime.listPodSandbox({ ...(id ? { id } : {}), ...(Object.keys(labels).length ? { label_selector: labels } : {}) });
  const out = new Map<string, PodSample>(pods.map((s) => [s.id, { id: s.id, name: s.metadata?.name ?? "", cpu: 0n, ts: 0n, mem: 0n }]));
  const owner = new Map((await ctx.runtime.listContainers()).map((c) => [c.id, c.pod_sandbox_id]));
  for (const s of await ctx.runtime.listContainerStats()) {
    const pod = out.get(owner.get(s.attributes?.id ?? "") ?? "");
    if (!pod) continue;
    pod.cpu += v(s.cpu?.usage_core_nano_seconds);
    pod.mem += v(s.memory?.working_set_bytes);
    const ts = BigInt(s.cpu?.timestamp ?? "0");
    if (ts > pod.ts) pod.ts = ts;
  }
  return out;
}

async function statspOnce(ctx: CrictlContext, p: ParsedArgs): Promise<string> {
  const first = await podSamples(ctx, p);
  const output = str(p, "output");
  if (output === "json" || output === "yaml") {
    const stats = [...first.values()].map((s) => ({ attributes: { id: s.id, metadata: { name: s.name } }, linux: { cpu: { timestamp: String(s.ts), usage_core_nano_seconds: { value: String(s.cpu) } }, memory: { timestamp: String(s.ts), working_set_bytes: { value: String(s.mem) } } } }));
    return listOutput({ stats }, output);
  }
  await sleep(num(p, "seconds") * 1000);
  const t = new Table();
  t.addRow(["POD", "POD ID", "CPU %", "MEM"]);
  for (const s of [...(await podSamples(ctx, p)).values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const prev = first.get(s.id);
    if ((s.cpu === 0n && s.mem === 0n) || !prev) continue;
    t.addRow([s.name, truncateId(s.id), cpuPercent(s.cpu, s.ts, prev.cpu, prev.ts), humanSize(Number(s.mem))]);
  }
  return t.render();
}

/** Prints once, or with --watch again and again (clearing the screen) until interrupted. */
async function display(ctx: CrictlContext, p: ParsedArgs, once: (ctx: CrictlContext, p: ParsedArgs) => Promise<string>): Promise<number> {
  if (p.args.length > 1) throw new ShowHelp();
  if (!bool(p, "watch")) {
    ctx.io.out(await once(ctx, p));
    return 0;
  }
  while (!ctx.signal.aborted) {
    const text = await once(ctx, p);
    ctx.io.out(`\x1b[2J\x1b[H${text}`);
    await sleep(500);
  }
  return 0;
}

const SAMPLE_FLAGS = [
  { name: "label", type: "list" as const, usage: "Filter by key=value label" },
  outputFlag("json|yaml|table"),
  { name: "seconds", aliases: ["s"], type: "int" as const, default: 1, usage: "Sample duration for CPU usage in seconds" },
  { name: "watch", aliases: ["w"], type: "bool" as const, usage: "Watch pod resources" },
];

/** The stats subcommands. */
export const STATS_COMMANDS: CrictlCommand[] = [
  {
    name: "stats",
    usage: "List container(s) resource usage statistics",
    argsUsage: "[ID]",
    flags: [
      { name: "all", aliases: ["a"], type: "bool", usage: "Show all containers (default shows just running)" },
      { name: "id", type: "string", usage: "Filter by container id" },
      { name: "pod", aliases: ["p"], type: "string", usage: "Filter by pod id" },
      ...SAMPLE_FLAGS,
    ],
    run: (ctx, p) => display(ctx, p, statsOnce),
    interruptible: true,
  },
  {
    name: "statsp",
    usage: "List pod statistics. Stats represent a structured API that will fulfill the Kubelet's /stats/summary endpoint.",
    argsUsage: "[ID]",
    flags: [{ name: "id", type: "string", usage: "Filter by pod id" }, ...SAMPLE_FLAGS],
    run: (ctx, p) => display(ctx, p, statspOnce),
    interruptible: true,
  },
];
