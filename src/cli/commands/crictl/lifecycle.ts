/**
 * crictl runp, create, start and run: sandboxes and containers from config
 * files (JSON or YAML with the CRI's snake_case field names, as crictl reads
 * them). Unlike crictl, an image already present is not pulled again: the
 * CRI's PullImage always asks a registry, which an air-gapped k3s node lacks.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { ContainerConfig, PodSandboxConfig } from "../../../kubelet/cri/mod.ts";
import { bool, str, type ParsedArgs } from "./args.ts";
import { doing, ShowHelp, type CrictlCommand, type CrictlContext } from "./context.ts";

function readConfig(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new Error(`config at ${path} not found`);
  const doc = parseYaml(readFileSync(path, "utf8")) as unknown;
  if (!doc || typeof doc !== "object") throw new Error(`config at ${path} is not an object`);
  return doc as Record<string, unknown>;
}

/** A sandbox config file, checked as crictl checks it (a missing uid is generated). */
export function loadPodConfig(path: string): PodSandboxConfig {
  const c = readConfig(path) as unknown as PodSandboxConfig;
  if (!c.metadata) throw new Error("metadata is not set");
  if (!c.metadata.uid) c.metadata.uid = randomUUID();
  if (!c.metadata.name || !c.metadata.namespace) throw new Error(`name or namespace is not in metadata ${JSON.stringify(c.metadata)}`);
  return c;
}

/** A container config file, checked as crictl checks it. */
export function loadContainerConfig(path: string): ContainerConfig {
  const c = readConfig(path) as unknown as ContainerConfig;
  if (!c.metadata) throw new Error("metadata is not set");
  if (!c.metadata.name) throw new Error(`name is not in metadata ${JSON.stringify(c.metadata)}`);
  if (!c.image) throw new Error("image is not set");
  if (!c.image.image) throw new Error(`image field is not set in image ${JSON.stringify(c.image)}`);
  return c;
}

async function ensureImage(ctx: CrictlContext, image: string, sandbox: PodSandboxConfig): Promise<void> {
  if (await ctx.images.imageStatus(image)) return;
  await doing(`pulling image ${image}`, ctx.images.pullImage(image, { sandboxConfig: sandbox }));
}

async function createIn(ctx: CrictlContext, podId: string, ctrPath: string, pod: PodSandboxConfig, pull: boolean): Promise<string> {
  const config = loadContainerConfig(ctrPath);
  if (pull) await ensureImage(ctx, config.image.image, pod);
  return doing("creating container", ctx.runtime.createContainer({ pod_sandbox_id: podId, config, sandbox_config: pod }));
}

async function runRunp(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (p.args.length !== 1) throw new ShowHelp();
  const pod = await doing("load podSandboxConfig", Promise.resolve().then(() => loadPodConfig(p.args[0]!)));
  ctx.io.out(`${await doing("run pod sandbox", ctx.runtime.runPodSandbox(pod, str(p, "runtime")))}\n`);
  return 0;
}

async function runCreate(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (p.args.length !== 3) throw new ShowHelp();
  if (bool(p, "no-pull") && bool(p, "with-pull")) throw new Error("conflict: no-pull and with-pull are both set");
  const [podId, ctrPath, podPath] = p.args as [string, string, string];
  ctx.io.out(`${await createIn(ctx, podId, ctrPath, loadPodConfig(podPath), bool(p, "with-pull"))}\n`);
  return 0;
}

async function runStart(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (!p.args.length) throw new Error("ID cannot be empty");
  for (const id of p.args) {
    await doing(`starting the container "${id}"`, ctx.runtime.startContainer(id));
    ctx.io.out(`${id}\n`);
  }
  return 0;
}

async function runRun(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (p.args.length !== 2) throw new ShowHelp();
  if (bool(p, "no-pull") && bool(p, "with-pull")) throw new Error("conflict: no-pull and with-pull are both set");
  const [ctrPath, podPath] = p.args as [string, string];
  const pod = loadPodConfig(podPath);
  const podId = await doing("running container: run pod sandbox", ctx.runtime.runPodSandbox(pod, str(p, "runtime")));
  const id = await createIn(ctx, podId, ctrPath, pod, !bool(p, "no-pull"));
  await doing(`starting the container "${id}"`, ctx.runtime.startContainer(id));
  ctx.io.out(`${id}\n`);
  return 0;
}

const PULL_FLAGS = [
  { name: "no-pull", type: "bool" as const, usage: "Do not pull the image" },
  { name: "with-pull", type: "bool" as const, usage: "Pull the image (when it is not present)" },
];
const RUNTIME_FLAG = { name: "runtime", aliases: ["r"], type: "string" as const, usage: "Runtime handler to use. Available options are defined by the container runtime." };

/** The sandbox/container creation subcommands. */
export const LIFECYCLE_COMMANDS: CrictlCommand[] = [
  { name: "runp", usage: "Run a new pod", argsUsage: "pod-config.[json|yaml]", flags: [RUNTIME_FLAG], run: runRunp },
  { name: "create", usage: "Create a new container", argsUsage: "POD container-config.[json|yaml] pod-config.[json|yaml]", flags: PULL_FLAGS, run: runCreate },
  { name: "start", usage: "Start one or more created containers", argsUsage: "CONTAINER-ID [CONTAINER-ID...]", flags: [], run: runStart },
  { name: "run", usage: "Run a new container inside a sandbox", argsUsage: "container-config.[json|yaml] pod-config.[json|yaml]", flags: [...PULL_FLAGS, RUNTIME_FLAG], run: runRun },
];
