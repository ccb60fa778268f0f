/** The progress log k3s prints: `INFO[0003] message`, seconds since start-up. */

const started = Date.now();
let debugEnabled = process.env.K3S_DEBUG === "true";

/** Turns debug lines on (--debug). */
export function setDebug(on: boolean): void {
  debugEnabled = on;
}

function line(level: string, msg: string): string {
  const secs = Math.floor((Date.now() - started) / 1000);
  return `${level}[${String(secs).padStart(4, "0")}] ${msg}\n`;
}

/** A component's logger; the component name prefixes nothing, as in k3s's own log. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
}

/** The process logger (stderr, like k3s). */
export const log: Logger = {
  info: (msg) => process.stderr.write(line("INFO", msg)),
  warn: (msg) => process.stderr.write(line("WARN", msg)),
  error: (msg) => process.stderr.write(line("ERRO", msg)),
  debug: (msg) => {
    if (debugEnabled) process.stderr.write(line("DEBU", msg));
  },
};

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
