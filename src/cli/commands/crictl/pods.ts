/** crictl pods, inspectp, stopp and rmp. */
import type { PodSandbox, PodSandboxFilter, PodSandboxStatus } from "../../../kubelet/cri/mod.ts";
import { bool, list, num, parseLabels, str, type ParsedArgs } from "./args.ts";
import { compilePattern, doing, goMap, printStatuses, labelBlock, settleAll, newestFirst, outputFlag, ShowHelp, truncateCount, type CrictlCommand, type CrictlContext } from "./context.ts";
import { listOutput, protoJson, rfc3339Nano } from "./output.ts";
import { ago, Table, truncateId } from "./table.ts";

const STATE_NAMES: Record<string, string> = { SANDBOX_READY: "Ready", SANDBOX_NOTREADY: "NotReady" };

/** The pod filters of pods and inspectp. */
interface PodQuery {
  id?: string;
  name: string;
  namespace: string;
  state: string;
  labels: Record<string, string>;
  latest: boolean;
  last: number;
}

function podQuery(p: ParsedArgs): PodQuery {
  return { name: str(p, "name"), namespace: str(p, "namespace"), state: str(p, "state"), labels: parseLabels(list(p, "label")), latest: bool(p, "latest"), last: num(p, "last") };
}

async function listPods(ctx: CrictlContext, q: PodQuery): Promise<PodSandbox[]> {
  const filter: PodSandboxFilter = {};
  if (q.id) filter.id = q.id;
  if (q.state) {
    const s = q.state.toLowerCase();
    if (s !== "ready" && s !== "notready") throw new Error("--state should be ready or notready");
    filter.state = { state: s === "ready" ? "SANDBOX_READY" : "SANDBOX_NOTREADY" };
  }
  if (Object.keys(q.labels).length) filter.label_selector = q.labels;
  const nameRe = compilePattern(q.name);
  const nsRe = compilePattern(q.namespace);
  const kept = (await ctx.runtime.listPodSandbox(filter)).filter((s) => (!nameRe || nameRe.test(s.metadata?.name ?? "")) && (!nsRe || nsRe.test(s.metadata?.namespace ?? "")));
  return newestFirst(kept).slice(0, truncateCount(kept.length, q.latest, q.last));
}

/** Go's default time.Time print: "2006-01-02 15:04:05.999999999 +0000 UTC". */
function goTime(nanos: string): string {
  const iso = rfc3339Nano(nanos);
  return `${iso.slice(0, 10)} ${iso.slice(11, -1)} +0000 UTC`;
}

/** "ID:", then the metadata lines crictl prints for a pod (Attempt always in inspectp, only when non-zero in pods -v). */
function podHeader(s: PodSandbox | PodSandboxStatus, alwaysAttempt: boolean): string {
  let out = `ID: ${s.id}\n`;
  const m = s.metadata;
  if (m) {
    if (m.name) out += `Name: ${m.name}\n`;
    if (m.uid) out += `UID: ${m.uid}\n`;
    if (m.namespace) out += `Namespace: ${m.namespace}\n`;
    if (alwaysAttempt || m.attempt) out += `Attempt: ${m.attempt ?? 0}\n`;
  }
  return out;
}

function verbosePod(s: PodSandbox): string {
  let out = podHeader(s, false);
  out += `Status: ${STATE_NAMES[s.state]}\nCreated: ${goTime(s.created_at)}\n`;
  return `${out}${labelBlock("Labels", s.labels)}${labelBlock("Annotations", s.annotations)}Runtime: ${s.runtime_handler || "(default)"}\n\n`;
}

async function runPods(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const pods = await listPods(ctx, { ...podQuery(p), id: str(p, "id") });
  const output = str(p, "output");
  if (output !== "table") {
    ctx.io.out(listOutput({ items: pods }, output, "ListPodSandboxResponse"));
    return 0;
  }
  const quiet = bool(p, "quiet");
  const verbose = bool(p, "verbose");
  const t = new Table();
  if (!verbose && !quiet) t.addRow(["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"]);
  for (const s of pods) {
    if (quiet) ctx.io.out(`${s.id}\n`);
    else if (verbose) ctx.io.out(verbosePod(s));
    else {
      const id = bool(p, "no-trunc") ? s.id : truncateId(s.id);
      t.addRow([id, ago(s.created_at), STATE_NAMES[s.state] ?? s.state, s.metadata?.name ?? "", s.metadata?.namespace ?? "", String(s.metadata?.attempt ?? 0), s.runtime_handler || "(default)"]);
    }
  }
  ctx.io.out(t.render());
  return 0;
}

function statusTable(s: PodSandboxStatus, info: Record<string, string>, verbose: boolean): string {
  let out = podHeader(s, true);
  out += `Status: ${s.state}\nCreated: ${goTime(s.created_at)}\n`;
  if (s.network) out += `IP Addresses: ${s.network.ip}\n${s.network.additional_ips.map((a) => `Additional IP: ${a.ip}\n`).join("")}`;
  out += labelBlock("Labels", s.labels) + labelBlock("Annotations", s.annotations);
  if (verbose) out += `Info: ${goMap(info)}\n`;
  return out;
}

async function runInspectp(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const ids = p.args.length ? p.args : (await listPods(ctx, podQuery(p))).map((s) => s.id);
  return printStatuses(ctx, p, ids, {
    fetch: (id, verbose) => doing("get the status of pod sandboxes: get pod sandbox status", ctx.runtimeVerbose.podSandboxStatus(id, verbose, ctx.timeoutMs)),
    doc: (s) => ({ ...(protoJson(s) as object), createdAt: rfc3339Nano(s.created_at) }),
    table: statusTable,
  });
}

async function runStopp(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (!p.args.length) throw new ShowHelp();
  for (const id of p.args) {
    await doing(`stopping the pod sandbox "${id}"`, ctx.runtime.stopPodSandbox(id));
    ctx.io.out(`Stopped sandbox ${id}\n`);
  }
  return 0;
}

async function removePod(ctx: CrictlContext, force: boolean, id: string): Promise<void> {
  const status = await doing(`getting sandbox status of pod "${id}"`, ctx.runtime.podSandboxStatus(id));
  if (status.state === "SANDBOX_READY") {
    if (!force) throw new Error(`pod sandbox "${id}" is running, please stop it first`);
    await ctx.runtime.stopPodSandbox(id);
    ctx.io.out(`Stopped sandbox ${id}\n`);
  }
  await doing(`removing the pod sandbox "${id}"`, ctx.runtime.removePodSandbox(id));
  ctx.io.out(`Removed sandbox ${id}\n`);
}

async function runRmp(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const ids = bool(p, "all") ? (await ctx.runtime.listPodSandbox()).map((s) => s.id) : p.args;
  if (!ids.length) {
    if (bool(p, "all")) return 0;
    throw new ShowHelp();
  }
  await settleAll(ids.map((id) => removePod(ctx, bool(p, "force"), id)));
  return 0;
}

const POD_FILTERS = [
  { name: "name", type: "string" as const, usage: "Filter by pod name regular expression pattern" },
  { name: "namespace", type: "string" as const, usage: "Filter by pod namespace regular expression pattern" },
  { name: "state", aliases: ["s"], type: "string" as const, usage: "Filter by pod state" },
  { name: "label", type: "list" as const, usage: "Filter by key=value label" },
  { name: "latest", aliases: ["l"], type: "bool" as const, usage: "Show the most recently created pod" },
  { name: "last", aliases: ["n"], type: "int" as const, usage: "Show last n recently created pods. Set 0 for unlimited" },
];

/** The pod subcommands. */
export const POD_COMMANDS: CrictlCommand[] = [
  {
    name: "pods",
    usage: "List pods",
    flags: [
      { name: "id", type: "string", usage: "filter by pod id" },
      ...POD_FILTERS,
      { name: "verbose", aliases: ["v"], type: "bool", usage: "Show verbose info for pods" },
      { name: "quiet", aliases: ["q"], type: "bool", usage: "List only pod IDs" },
      outputFlag("json|yaml|table", "table"),
      { name: "no-trunc", type: "bool", usage: "Show output without truncating the ID" },
    ],
    run: runPods,
  },
  {
    name: "inspectp",
    usage: "Display the status of one or more pods",
    argsUsage: "POD-ID [POD-ID...]",
    flags: [outputFlag("json|yaml|go-template|table"), { name: "quiet", aliases: ["q"], type: "bool", usage: "Do not show verbose information" }, ...POD_FILTERS],
    run: runInspectp,
  },
  { name: "stopp", usage: "Stop one or more running pods", argsUsage: "POD-ID [POD-ID...]", flags: [], run: runStopp },
  {
    name: "rmp",
    usage: "Remove one or more pods",
    argsUsage: "POD-ID [POD-ID...]",
    flags: [
      { name: "force", aliases: ["f"], type: "bool", usage: "Force removal of the pod sandbox, disregarding if running" },
      { name: "all", aliases: ["a"], type: "bool", usage: "Remove all pods" },
    ],
    run: runRmp,
  },
];
