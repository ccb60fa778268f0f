/**
 * crictl exec: without -s the command runs through the CRI Exec streaming
 * URL (remotecommand over SPDY, or websocket with --transport websocket);
 * with -s through ExecSync. Either way the command's exit code becomes ours.
 */
import { bool, num, str, type ParsedArgs } from "./args.ts";
import { containerQuery, CONTAINER_FILTER_FLAGS, listContainers } from "./containers.ts";
import { doing, ExitError, settleAll, ShowHelp, type CrictlCommand, type CrictlContext } from "./context.ts";
import { streamRemote } from "./remotecommand.ts";

/** How one exec runs. */
export interface ExecOptions {
  cmd: string[];
  tty: boolean;
  stdin: boolean;
  timeoutSeconds: number;
}

async function execSync(ctx: CrictlContext, id: string, o: ExecOptions): Promise<number> {
  const r = await ctx.runtime.execSync(id, { cmd: o.cmd, timeoutSeconds: o.timeoutSeconds });
  ctx.io.out(r.stdout.toString());
  ctx.io.err(r.stderr.toString());
  return r.exit_code;
}

/** Runs a command through the streaming URL; resolves to its exit code. */
async function execStream(ctx: CrictlContext, id: string, o: ExecOptions, transport: string): Promise<number> {
  if (o.tty && !o.stdin) throw new Error("tty=true must be specified with interactive=true");
  if (o.tty && !ctx.io.stdin.isTTY) throw new Error("input is not a terminal");
  const url = await ctx.runtime.exec({ container_id: id, cmd: o.cmd, tty: o.tty, stdin: o.stdin, stdout: true, stderr: !o.tty });
  return streamRemote(transport, url, { stdin: o.stdin, tty: o.tty, io: ctx.io });
}

async function runExec(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (!p.args.length) throw new ShowHelp();
  const filtered = ["name", "pod", "image", "state", "label", "latest", "last"].some((f) => p.set.has(f));
  let ids = [p.args[0]!];
  let cmd = p.args.slice(1);
  if (filtered) {
    cmd = p.args;
    ids = (await listContainers(ctx, containerQuery(p))).map((c) => c.id);
    if (!ids.length) {
      ctx.io.err("No containers found per filter flags\n");
      throw new ShowHelp();
    }
  } else if (p.args.length < 2) throw new ShowHelp();
  const o: ExecOptions = { cmd, tty: bool(p, "tty"), stdin: bool(p, "interactive"), timeoutSeconds: num(p, "timeout") };
  const showId = filtered && !bool(p, "quiet") && !bool(p, "parallel");
  let worst = 0;
  const one = async (id: string): Promise<void> => {
    if (showId) ctx.io.out(`${id}:\n`);
    const what = `execing command in container ${id}${bool(p, "sync") ? " synchronously" : ""}`;
    const code = await doing(what, bool(p, "sync") ? execSync(ctx, id, o) : execStream(ctx, id, o, str(p, "transport")));
    if (code !== 0) worst = code;
  };
  if (bool(p, "parallel")) await settleAll(ids.map(one));
  else for (const id of ids) await one(id);
  if (worst !== 0 && !bool(p, "ignore-errors")) throw new ExitError(worst);
  return 0;
}

async function runAttach(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const id = p.args[0];
  if (!id) throw new Error("ID cannot be empty");
  if (p.args.length > 1) throw new ShowHelp();
  const tty = bool(p, "tty");
  const stdin = bool(p, "stdin");
  if (tty && !stdin) throw new Error("tty=true must be specified with interactive=true");
  const url = await doing("attaching running container failed", ctx.runtime.attach({ container_id: id, stdin, tty, stdout: true, stderr: !tty }));
  const code = await streamRemote(str(p, "transport"), url, { stdin, tty, io: ctx.io });
  if (code !== 0) throw new ExitError(code);
  return 0;
}

const TRANSPORT_FLAG = { name: "transport", aliases: ["r"], type: "string" as const, default: "spdy", usage: "Transport protocol to use, one of: spdy|websocket" };

/** The exec and attach subcommands. */
export const EXEC_COMMANDS: CrictlCommand[] = [{
  name: "exec",
  usage: "Run a command in a running container",
  argsUsage: "[CONTAINER-ID] COMMAND [ARG...]",
  flags: [
    { name: "sync", aliases: ["s"], type: "bool", usage: "Run the command synchronously" },
    { name: "timeout", type: "int", usage: "Timeout in seconds" },
    { name: "tty", aliases: ["t"], type: "bool", usage: "Allocate a pseudo-TTY" },
    { name: "interactive", aliases: ["i"], type: "bool", usage: "Keep STDIN open" },
    TRANSPORT_FLAG,
    ...CONTAINER_FILTER_FLAGS.filter((f) => f.name !== "state").map((f) => ({ ...f, usage: f.usage.replace(/^Filter by/, "Exec command for all containers matching") })),
    { name: "state", type: "string", usage: "Exec command for all containers matching this container state filter" },
    { name: "quiet", aliases: ["q"], type: "bool", usage: "Do not print the container ID if multiple containers are selected" },
    { name: "ignore-errors", aliases: ["e"], type: "bool", usage: "Ignore errors during command execution" },
    { name: "parallel", aliases: ["x"], type: "bool", usage: "Run the command in parallel if multiple containers are selected" },
  ],
  run: runExec,
}, {
  name: "attach",
  usage: "Attach to a running container",
  argsUsage: "CONTAINER-ID",
  flags: [
    { name: "tty", aliases: ["t"], type: "bool", usage: "Stdin is a TTY" },
    { name: "stdin", aliases: ["i"], type: "bool", usage: "Pass stdin to the container" },
    TRANSPORT_FLAG,
  ],
  run: runAttach,
}];
