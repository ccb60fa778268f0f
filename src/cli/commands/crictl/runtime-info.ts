/** crictl version and info. */
import { str, bool, type ParsedArgs } from "./args.ts";
import { doing, outputFlag, ShowHelp, type CrictlCommand, type CrictlContext } from "./context.ts";
import { protoJson, statusOutput } from "./output.ts";

async function runVersion(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (p.args.length) throw new ShowHelp();
  const v = await doing("getting the runtime version", ctx.runtime.version({ timeoutMs: ctx.timeoutMs }));
  // Go's fmt.Println puts a space between its operands, hence the double space
  ctx.io.out(`Version:  ${v.version}\nRuntimeName:  ${v.runtime_name}\nRuntimeVersion:  ${v.runtime_version}\nRuntimeApiVersion:  ${v.runtime_api_version}\n`);
  return 0;
}

async function runInfo(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (p.args.length) throw new ShowHelp();
  const r = await doing("getting status of runtime", ctx.runtimeVerbose.status(!bool(p, "quiet"), ctx.timeoutMs));
  ctx.io.out(statusOutput([{ status: protoJson(r.status), info: r.info }], str(p, "output")));
  return 0;
}

/** The runtime subcommands. */
export const RUNTIME_COMMANDS: CrictlCommand[] = [
  { name: "version", usage: "Display runtime version information", flags: [], run: runVersion },
  {
    name: "info",
    usage: "Display information of the container runtime",
    flags: [outputFlag("json|yaml|go-template", "json"), { name: "quiet", aliases: ["q"], type: "bool", usage: "Do not show verbose information" }],
    run: runInfo,
  },
];
