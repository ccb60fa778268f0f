/** Files of the PKI: atomic writes with the modes k3s uses. */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Creates a directory (and parents) with mode 0700 unless it exists. */
export function ensurePrivateDir(path: string): void {
  if (!existsSync(path)) mkdirSync(path, { recursive: true, mode: 0o700 });
}

/** Options of `writeFileAtomic`. */
export interface WriteOptions {
  mode: number;
  /** mode of parent directories created on the way; default 0o700 */
  dirMode?: number;
}

/** Writes through a temporary file and a rename, so a crash never leaves half a key behind. */
export function writeFileAtomic(path: string, data: string | Buffer, options: WriteOptions): void {
  mkdirSync(dirname(path), { recursive: true, mode: options.dirMode ?? 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode: options.mode });
  chmodSync(tmp, options.mode);
  renameSync(tmp, path);
}

/** The file's text, or undefined when it does not exist. */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
