/** crictl ps, inspect, stop and rm. */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Container, ContainerFilter, ContainerState, ContainerStatus } from "../../../kubelet/cri/mod.ts";
import { bool, list, num, parseLabels, str, type FlagSpec, type ParsedArgs } from "./args.ts";
import { compilePattern, doing, goMap, printStatuses, labelBlock, settleAll, fromLabels, newestFirst, outputFlag, ShowHelp, truncateCount, type CrictlCommand, type CrictlContext } from "./context.ts";
import { listOutput, protoJson, rfc3339Nano } from "./output.ts";
import { ago, Table, truncateId } from "./table.ts";

const STATES: Record<string, ContainerState> = { created: "CONTAINER_CREATED", running: "CONTAINER_RUNNING", exited: "CONTAINER_EXITED", unknown: "CONTAINER_UNKNOWN" };
const STATE_NAMES: Record<ContainerState, string> = { CONTAINER_CREATED: "Created", CONTAINER_RUNNING: "Running", CONTAINER_EXITED: "Exited", CONTAINER_UNKNOWN: "Unknown" };

/** The container filters ps, inspect and exec share. */
export interface ContainerQuery {
  id?: string;
  podId?: string;
  name?: string;
  namespace?: string;
  image?: string;
  state?: string;
  labels?: Record<string, string>;
  all?: boolean;
  latest?: boolean;
  last?: number;
}

/** The filter flags ps, inspect and exec share. */
export const CONTAINER_FILTER_FLAGS: FlagSpec[] = [
  { name: "name", type: "string", usage: "Filter by container name regular expression pattern" },
  { name: "pod", aliases: ["p"], type: "string", usage: "Filter by pod id" },
  { name: "image", type: "string", usage: "Filter by container image" },
  { name: "state", aliases: ["s"], type: "string", usage: "Filter by container state" },
  { name: "label", type: "list", usage: "Filter by key=value label" },
  { name: "latest", aliases: ["l"], type: "bool", usage: "Show the most recently created container (includes all states)" },
  { name: "last", aliases: ["n"], type: "int", usage: "Show last n recently created containers (includes all states). Set 0 for unlimited." },
];

/** The query the shared filter flags describe. */
export function containerQuery(p: ParsedArgs): ContainerQuery {
  return { podId: str(p, "pod"), name: str(p, "name"), namespace: str(p, "namespace"), image: str(p, "image"), state: str(p, "state"), labels: parseLabels(list(p, "label")), all: bool(p, "all"), latest: bool(p, "latest"), last: num(p, "last") };
}

function criFilter(q: ContainerQuery): ContainerFilter {
  const filter: ContainerFilter = {};
  if (q.id) filter.id = q.id;
  if (q.podId) filter.pod_sandbox_id = q.podId;
  if (!q.all && !q.state) filter.state = { state: "CONTAINER_RUNNING" };
  if (q.state) {
    const s = STATES[q.state.toLowerCase()];
    if (!s) throw new Error("--state should be one of created, running, exited or unknown");
    filter.state = { state: s };
  }
  if (q.latest || (q.last ?? 0) > 0) delete filter.state;
  if (q.labels && Object.keys(q.labels).length) filter.label_selector = q.labels;
  return filter;
}

async function sameImage(ctx: CrictlContext, wanted: string, image: string): Promise<boolean> {
  const [a, b] = await Promise.all([ctx.images.imageStatus(wanted), ctx.images.imageStatus(image)]);
  return !!a && !!b && a.id === b.id;
}

/** Lists containers as crictl does: CRI filter, then name/namespace/image matching, newest first, --latest/--last. */
export async function listContainers(ctx: CrictlContext, q: ContainerQuery): Promise<Container[]> {
  const all = await ctx.runtime.listContainers(criFilter(q));
  const nameRe = compilePattern(q.name ?? "");
  const nsRe = compilePattern(q.namespace ?? "");
  const kept: Container[] = [];
  for (const c of all) {
    if (q.image && !(await sameImage(ctx, q.image, c.image?.image ?? ""))) continue;
    if (nameRe && !nameRe.test(c.metadata?.name ?? "")) continue;
    if (nsRe && !nsRe.test(fromLabels(c.labels, "namespace"))) continue;
    kept.push(c);
  }
  return newestFirst(kept).slice(0, truncateCount(kept.length, !!q.latest, q.last ?? 0));
}

/** ps's IMAGE cell: an image digest (what the kubelet passes) is cut to 13 hex digits, a name is shown whole. */
export function imageColumn(image: string, noTrunc: boolean): string {
  const digest = /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/.test(image);
  return digest && !noTrunc ? truncateId(image, `${image.split(":")[0]}:`) : image;
}

function verboseContainer(c: Container): string {
  let s = `ID: ${c.id}\nPodID: ${c.pod_sandbox_id}\nNamespace: ${fromLabels(c.labels, "namespace")}\n`;
  if (c.metadata) s += `${c.metadata.name ? `Name: ${c.metadata.name}\n` : ""}Attempt: ${c.metadata.attempt ?? 0}\n`;
  s += `State: ${STATE_NAMES[c.state]}\n`;
  if (c.image) s += `Image: ${c.image.image}\n`;
  return `${s}Created: ${ago(c.created_at)}\n${labelBlock("Labels", c.labels)}${labelBlock("Annotations", c.annotations)}\n`;
}

async function runPs(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (p.args.length) throw new ShowHelp();
  const containers = await listContainers(ctx, { ...containerQuery(p), id: str(p, "id") });
  const output = str(p, "output");
  if (output !== "table") {
    ctx.io.out(listOutput({ containers }, output, "ListContainersResponse"));
    return 0;
  }
  const noTrunc = bool(p, "no-trunc");
  const t = new Table();
  if (!bool(p, "verbose") && !bool(p, "quiet")) t.addRow(["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD", "NAMESPACE"]);
  for (const c of containers) {
    if (bool(p, "quiet")) ctx.io.out(`${c.id}\n`);
    else if (bool(p, "verbose")) ctx.io.out(verboseContainer(c));
    else {
      let image = imageColumn(c.image?.image ?? "", noTrunc);
      if (bool(p, "resolve-image-path")) image = (await ctx.images.imageStatus(image))?.repo_tags[0] ?? image;
      const id = noTrunc ? c.id : truncateId(c.id);
      const podId = noTrunc ? c.pod_sandbox_id : truncateId(c.pod_sandbox_id);
      t.addRow([id, image, ago(c.created_at), STATE_NAMES[c.state], c.metadata?.name ?? "", String(c.metadata?.attempt ?? 0), podId, fromLabels(c.labels, "name"), fromLabels(c.labels, "namespace")]);
    }
  }
  ctx.io.out(t.render());
  return 0;
}

/** A container status in crictl's inspect shape: protojson with Go-formatted times. */
export function containerStatusDoc(s: ContainerStatus): unknown {
  const doc = protoJson(s) as Record<string, unknown>;
  doc.createdAt = rfc3339Nano(s.created_at);
  doc.startedAt = rfc3339Nano(s.state !== "CONTAINER_CREATED" ? s.started_at : 0);
  const finished = s.state === "CONTAINER_EXITED" || (s.state === "CONTAINER_UNKNOWN" && BigInt(s.finished_at) > 0n);
  doc.finishedAt = rfc3339Nano(finished ? s.finished_at : 0);
  return doc;
}

function statusTable(s: ContainerStatus, info: Record<string, string>, verbose: boolean): string {
  let out = `ID: ${s.id}\n`;
  if (s.metadata?.name) out += `Name: ${s.metadata.name}\n`;
  if (s.metadata?.attempt) out += `Attempt: ${s.metadata.attempt}\n`;
  out += `State: ${s.state}\nCreated: ${ago(s.created_at)}\n`;
  if (s.state !== "CONTAINER_CREATED") out += `Started: ${ago(s.started_at)}\n`;
  if (s.state === "CONTAINER_EXITED") {
    if (BigInt(s.finished_at) > 0n) out += `Finished: ${ago(s.finished_at)}\n`;
    out += `Exit Code: ${s.exit_code}\n`;
  }
  out += labelBlock("Labels", s.labels) + labelBlock("Annotations", s.annotations);
  if (verbose) out += `Info: ${goMap(info)}\n`;
  return out;
}

async function runInspect(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const ids = p.args.length ? p.args : (await listContainers(ctx, containerQuery(p))).map((c) => c.id);
  return printStatuses(ctx, p, ids, {
    fetch: (id, verbose) => doing("get the status of containers: get container status", ctx.runtimeVerbose.containerStatus(id, verbose, ctx.timeoutMs)),
    doc: containerStatusDoc,
    table: statusTable,
  });
}

async function runStop(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (bool(p, "all") && p.args.length) throw new Error("cannot specify CONTAINER-ID(s) when using --all");
  let ids = p.args;
  if (bool(p, "all")) {
    ids = (await listContainers(ctx, { state: "running" })).map((c) => c.id);
    if (!ids.length) {
      ctx.io.out("No running containers found.\n");
      return 0;
    }
  } else if (!ids.length) throw new Error("you must specify at least one CONTAINER-ID or use --all");
  for (const id of ids) {
    await doing(`stopping the container "${id}"`, ctx.runtime.stopContainer(id, num(p, "timeout")));
    ctx.io.out(`${id}\n`);
  }
  return 0;
}

function removeLogs(logPath: string): void {
  if (!logPath) return;
  const dir = dirname(logPath);
  const rotated = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(`${basename(logPath)}.`)) : [];
  for (const f of [...rotated.map((r) => join(dir, r)), logPath]) rmSync(f, { force: true });
}

async function removeOne(ctx: CrictlContext, p: ParsedArgs, id: string): Promise<void> {
  const status = await doing(`getting container status "${id}"`, ctx.runtime.containerStatus(id));
  if (status.state === "CONTAINER_RUNNING") {
    if (!bool(p, "force")) throw new Error(`container "${id}" is running, please stop it first`);
    await ctx.runtime.stopContainer(id, 0);
    ctx.io.out(`${id}\n`);
  }
  await doing(`removing container "${id}"`, ctx.runtime.removeContainer(id));
  ctx.io.out(`${id}\n`);
  if (!bool(p, "keep-logs")) removeLogs(status.log_path);
}

async function runRm(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const ids = bool(p, "all") ? (await ctx.runtime.listContainers()).map((c) => c.id) : p.args;
  if (!ids.length) {
    if (bool(p, "all")) return 0;
    throw new ShowHelp();
  }
  await settleAll(ids.map((id) => removeOne(ctx, p, id)));
  return 0;
}

/** The container subcommands. */
export const CONTAINER_COMMANDS: CrictlCommand[] = [
  {
    name: "ps",
    usage: "List containers",
    flags: [
      { name: "verbose", aliases: ["v"], type: "bool", usage: "Show verbose information for containers" },
      { name: "id", type: "string", usage: "Filter by container id" },
      ...CONTAINER_FILTER_FLAGS,
      { name: "quiet", aliases: ["q"], type: "bool", usage: "Only display container IDs" },
      outputFlag("json|yaml|table", "table"),
      { name: "all", aliases: ["a"], type: "bool", usage: "Show all containers" },
      { name: "no-trunc", type: "bool", usage: "Show output without truncating the ID" },
      { name: "resolve-image-path", aliases: ["r"], type: "bool", usage: "Show image path instead of image id" },
      { name: "namespace", type: "string", usage: "Filter by pod namespace regular expression pattern" },
    ],
    run: runPs,
  },
  {
    name: "inspect",
    usage: "Display the status of one or more containers",
    argsUsage: "CONTAINER-ID [CONTAINER-ID...]",
    flags: [
      outputFlag("json|yaml|go-template|table"),
      { name: "quiet", aliases: ["q"], type: "bool", usage: "Do not show verbose information" },
      { name: "namespace", type: "string", usage: "Filter by pod namespace regular expression pattern" },
      ...CONTAINER_FILTER_FLAGS,
      { name: "all", aliases: ["a"], type: "bool", usage: "Show all containers" },
    ],
    run: runInspect,
  },
  {
    name: "stop",
    usage: "Stop one or more running containers",
    argsUsage: "CONTAINER-ID [CONTAINER-ID...]",
    flags: [
      { name: "timeout", aliases: ["t"], type: "int", usage: "Seconds to wait to kill the container after a graceful stop is requested" },
      { name: "all", aliases: ["a"], type: "bool", usage: "Stop all running containers" },
    ],
    run: runStop,
  },
  {
    name: "rm",
    usage: "Remove one or more containers",
    argsUsage: "CONTAINER-ID [CONTAINER-ID...]",
    flags: [
      { name: "force", aliases: ["f"], type: "bool", usage: "Force removal of the container, disregarding if running" },
      { name: "keep-logs", aliases: ["k"], type: "bool", usage: "Preserve the container log file and its rotations" },
      { name: "all", aliases: ["a"], type: "bool", usage: "Remove all containers" },
    ],
    run: runRm,
  },
];
