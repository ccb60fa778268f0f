/** Runs another program in our place: stdio, arguments and exit status pass straight through. */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { constants as osConstants } from "node:os";
import { CliError } from "../errors.ts";

/** The first executable named `name` on PATH (or the given absolute path), else undefined. */
export function which(name: string, path: string = process.env.PATH ?? ""): string | undefined {
  const candidates = name.includes("/") ? [name] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: try the next PATH entry
    }
  }
  return undefined;
}

/** Options of `execPassthrough`. */
export interface ExecOptions {
  env: NodeJS.ProcessEnv;
  /** shown when the program is missing */
  missingHint?: string;
}

/** Runs `program` with inherited stdio and returns the exit code it ended with (128+signal when killed). */
export function execPassthrough(program: string, args: string[], options: ExecOptions): number {
  const resolved = which(program, options.env.PATH ?? process.env.PATH ?? "");
  if (!resolved) throw new CliError(`${program} not found on PATH${options.missingHint ? `: ${options.missingHint}` : ""}`, 1);
  const result = spawnSync(resolved, args, { stdio: "inherit", env: options.env });
  if (result.error) throw new CliError(`cannot run ${resolved}: ${result.error.message}`, 1);
  if (result.signal) return 128 + (osConstants.signals[result.signal] ?? 0);
  return result.status ?? 1;
}
