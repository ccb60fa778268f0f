/**
 * crictl exec: without -s the command runs through the CRI Exec streaming
 * URL (remotecommand v4 over websocket: first byte of each binary frame is
 * the channel, 0 stdin, 1 stdout, 2 stderr, 3 a Status, 4 terminal size);
 * with -s through ExecSync. Either way the command's exit code becomes ours.
 * Websocket v4 has no stdin half-close, so piped stdin cannot signal EOF.
 */
import WebSocket from "ws";
import { bool, num, type ParsedArgs } from "./args.ts";
import { containerQuery, CONTAINER_FILTER_FLAGS, listContainers } from "./containers.ts";
import { doing, ExitError, settleAll, ShowHelp, type CrictlCommand, type CrictlContext } from "./context.ts";

/** How one exec runs. */
export interface ExecOptions {
  cmd: string[];
  tty: boolean;
  stdin: boolean;
  timeoutSeconds: number;
}

/** The exit code a remotecommand Status carries (0 on Success). */
export function statusExitCode(status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } }): number {
  if (status.status === "Success") return 0;
  const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
  if (status.reason === "NonZeroExitCode" && cause?.message) return Number(cause.message);
  throw new Error(status.message || "exec failed");
}

async function execSync(ctx: CrictlContext, id: string, o: ExecOptions): Promise<number> {
  const r = await ctx.runtime.execSync(id, { cmd: o.cmd, timeoutSeconds: o.timeoutSeconds });
  ctx.io.out(r.stdout.toString());
  ctx.io.err(r.stderr.toString());
  return r.exit_code;
}

function pipeStdin(ctx: CrictlContext, ws: WebSocket, tty: boolean): () => void {
  const stdin = ctx.io.stdin;
  const raw = tty && stdin.isTTY && stdin.setRawMode;
  if (raw) stdin.setRawMode!(true);
  const onData = (d: Buffer | string): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(d)]));
  };
  stdin.on("data", onData);
  const sendSize = (): void => {
    const size = ctx.io.termSize?.();
    if (size && ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: size.width, Height: size.height }))]));
  };
  if (tty) {
    sendSize();
    process.stdout.on("resize", sendSize);
  }
  return () => {
    stdin.off("data", onData);
    stdin.pause?.();
    if (raw) stdin.setRawMode!(false);
    process.stdout.off("resize", sendSize);
  };
}

/** Runs a command through the streaming URL; resolves to its exit code. */
async function execStream(ctx: CrictlContext, id: string, o: ExecOptions): Promise<number> {
  if (o.tty && !o.stdin) throw new Error("tty=true must be specified with interactive=true");
  if (o.tty && !ctx.io.stdin.isTTY) throw new Error("input is not a terminal");
  const url = await ctx.runtime.exec({ container_id: id, cmd: o.cmd, tty: o.tty, stdin: o.stdin, stdout: true, stderr: !o.tty });
  const ws = new WebSocket(url.replace(/^http/, "ws"), ["v4.channel.k8s.io"]);
  let code: number | undefined;
  let failure: Error | undefined;
  let stop = (): void => {};
  ws.on("open", () => {
    if (o.stdin) stop = pipeStdin(ctx, ws, o.tty);
  });
  ws.on("message", (data: Buffer) => {
    const channel = data[0];
    const body = data.subarray(1);
    if (channel === 1) ctx.io.out(body.toString());
    else if (channel === 2) ctx.io.err(body.toString());
    else if (channel === 3 && body.length) {
      try {
        code = statusExitCode(JSON.parse(body.toString()) as Parameters<typeof statusExitCode>[0]);
      } catch (e) {
        failure = e as Error;
      }
    }
  });
  await new Promise<void>((resolve) => {
    ws.on("close", () => resolve());
    ws.on("error", (e) => {
      failure ??= e;
      resolve();
    });
  });
  stop();
  if (failure) throw failure;
  return code ?? 0;
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
    const code = await doing(what, bool(p, "sync") ? execSync(ctx, id, o) : execStream(ctx, id, o));
    if (code !== 0) worst = code;
  };
  if (bool(p, "parallel")) await settleAll(ids.map(one));
  else for (const id of ids) await one(id);
  if (worst !== 0 && !bool(p, "ignore-errors")) throw new ExitError(worst);
  return 0;
}

/** The exec subcommand. */
export const EXEC_COMMAND: CrictlCommand = {
  name: "exec",
  usage: "Run a command in a running container",
  argsUsage: "[CONTAINER-ID] COMMAND [ARG...]",
  flags: [
    { name: "sync", aliases: ["s"], type: "bool", usage: "Run the command synchronously" },
    { name: "timeout", type: "int", usage: "Timeout in seconds" },
    { name: "tty", aliases: ["t"], type: "bool", usage: "Allocate a pseudo-TTY" },
    { name: "interactive", aliases: ["i"], type: "bool", usage: "Keep STDIN open" },
    { name: "transport", aliases: ["r"], type: "string", default: "websocket", usage: "Transport protocol to use, one of: websocket (spdy is not supported by this crictl)" },
    ...CONTAINER_FILTER_FLAGS.filter((f) => f.name !== "state").map((f) => ({ ...f, usage: f.usage.replace(/^Filter by/, "Exec command for all containers matching") })),
    { name: "state", type: "string", usage: "Exec command for all containers matching this container state filter" },
    { name: "quiet", aliases: ["q"], type: "bool", usage: "Do not print the container ID if multiple containers are selected" },
    { name: "ignore-errors", aliases: ["e"], type: "bool", usage: "Ignore errors during command execution" },
    { name: "parallel", aliases: ["x"], type: "bool", usage: "Run the command in parallel if multiple containers are selected" },
  ],
  run: runExec,
};
