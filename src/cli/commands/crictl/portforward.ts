/**
 * crictl port-forward: listens on local ports and carries each accepted
 * connection to the pod over the CRI PortForward URL (portforward.k8s.io on
 * SPDY: per connection an "error" and a "data" stream tagged with the port
 * and a request id). Runs until interrupted.
 */
import { createServer, type Server, type Socket } from "node:net";
import { str, type ParsedArgs } from "./args.ts";
import { doing, ShowHelp, type CrictlCommand, type CrictlContext } from "./context.ts";
import { upgrade } from "./remotecommand.ts";
import { SpdySession } from "./spdy.ts";

/** One LOCAL:REMOTE pair (LOCAL 0 picks a free port). */
export interface PortPair {
  local: number;
  remote: number;
}

/** Parses "8080", "8080:80" or ":80" as kubectl and crictl do. */
export function parsePortPair(spec: string): PortPair {
  const [a, b] = spec.includes(":") ? spec.split(":") : [spec, spec];
  const local = a === "" ? 0 : Number(a);
  const remote = Number(b);
  if (!Number.isInteger(local) || !Number.isInteger(remote) || local < 0 || local > 65535 || remote < 1 || remote > 65535) throw new Error(`invalid port specification "${spec}"`);
  return { local, remote };
}

/** Carries one local connection over the session. */
function forward(session: SpdySession, conn: Socket, remote: number, requestId: number, ctx: CrictlContext): void {
  const headers = { port: String(remote), requestid: String(requestId) };
  let failure = "";
  const errorStream = session.open({ ...headers, streamtype: "error" }, {
    data: (b) => void (failure += b.toString()),
    end: () => {
      if (failure) ctx.io.err(`an error occurred forwarding ${remote}: ${failure}\n`);
    },
  });
  session.write(errorStream, Buffer.alloc(0), true);
  const data = session.open({ ...headers, streamtype: "data" }, { data: (b) => void conn.write(b), end: () => conn.end() });
  conn.on("data", (b: Buffer) => session.write(data, b));
  conn.on("end", () => session.write(data, Buffer.alloc(0), true));
  conn.on("error", () => conn.destroy());
}

function listen(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

async function runPortForward(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const [podId, ...specs] = p.args;
  if (!podId || !specs.length) throw new ShowHelp();
  const pairs = specs.map(parsePortPair);
  const url = await doing("port forward", ctx.runtime.portForward(podId, pairs.map((x) => x.remote)));
  const session = new SpdySession(await upgrade(url, "portforward.k8s.io"));
  const host = str(p, "address") === "localhost" ? "127.0.0.1" : str(p, "address");
  let requestId = 0;
  const servers: Server[] = [];
  for (const pair of pairs) {
    const server = await listen(host, pair.local);
    const port = (server.address() as { port: number }).port;
    ctx.io.out(`Forwarding from ${host}:${port} -> ${pair.remote}\n`);
    server.on("connection", (conn: Socket) => {
      ctx.io.out(`Handling connection for ${port}\n`);
      forward(session, conn, pair.remote, requestId++, ctx);
    });
    servers.push(server);
  }
  const interrupted = new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
  await Promise.race([session.closed, interrupted]).finally(() => {
    servers.forEach((s) => s.close());
    session.destroy();
  });
  return 0;
}

/** The port-forward subcommand. */
export const PORT_FORWARD_COMMAND: CrictlCommand = {
  name: "port-forward",
  usage: "Forward local port to a pod",
  argsUsage: "POD-ID [LOCAL_PORT:]REMOTE_PORT",
  flags: [{ name: "address", type: "string", default: "localhost", usage: "Address to listen on, only IPv4 or localhost" }],
  run: runPortForward,
  interruptible: true,
};
