/** Errors the CLI turns into one line on stderr and an exit code. */

/** A user error: printed as one line, then the process exits with `exitCode`. */
export class CliError extends Error {
  override name = "CliError";
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Bad command-line usage (unknown flag, missing value): exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}
