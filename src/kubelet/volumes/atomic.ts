/**
 * The atomic writer configMap/secret/downwardAPI/projected volumes use, as
 * upstream: files live in a timestamped dir, `..data` points at it, and each
 * visible name is a link through `..data`, so a running pod sees an update
 * switch over at once (one rename).
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** One file of a projected payload. */
export interface PayloadFile {
  /** relative path, may contain '/' */
  path: string;
  data: Buffer | string;
  mode?: number;
}

function currentPayload(dir: string): Map<string, Buffer> | undefined {
  const data = join(dir, "..data");
  if (!existsSync(data)) return undefined;
  const out = new Map<string, Buffer>();
  const walk = (base: string, rel: string): void => {
    for (const e of readdirSync(join(base, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(base, r);
      else out.set(r, readFileSync(join(base, r)));
    }
  };
  walk(data, "");
  return out;
}

function samePayload(dir: string, files: PayloadFile[]): boolean {
  const cur = currentPayload(dir);
  if (!cur || cur.size !== files.length) return false;
  return files.every((f) => cur.get(f.path)?.equals(Buffer.from(f.data)) === true);
}

/** Writes the payload into dir; returns false when it was already there unchanged. */
export function writeAtomicDir(dir: string, files: PayloadFile[]): boolean {
  for (const f of files) {
    if (f.path.startsWith("/") || f.path.split("/").includes("..") || f.path.startsWith("..")) {
      throw new Error(`invalid volume file path ${JSON.stringify(f.path)}`);
    }
  }
  mkdirSync(dir, { recursive: true });
  if (samePayload(dir, files)) return false;
  const stamp = `..${new Date().toISOString().replace(/[:.]/g, "_")}.${process.hrtime.bigint()}`;
  const tsDir = join(dir, stamp);
  for (const f of files) {
    mkdirSync(dirname(join(tsDir, f.path)), { recursive: true });
    writeFileSync(join(tsDir, f.path), f.data, { mode: f.mode ?? 0o644 });
  }
  const tmp = join(dir, "..data_tmp");
  rmSync(tmp, { force: true });
  symlinkSync(stamp, tmp);
  renameSync(tmp, join(dir, "..data"));
  const top = new Set(files.map((f) => f.path.split("/")[0]!));
  for (const name of top) {
    const link = join(dir, name);
    let ok = false;
    try {
      ok = lstatSync(link).isSymbolicLink() && readlinkSync(link) === join("..data", name);
    } catch {
      ok = false;
    }
    if (!ok) {
      rmSync(link, { recursive: true, force: true });
      symlinkSync(join("..data", name), link);
    }
  }
  for (const e of readdirSync(dir)) {
    if (e.startsWith("..")) {
      if (e !== "..data" && e !== stamp) rmSync(join(dir, e), { recursive: true, force: true });
    } else if (!top.has(e)) {
      rmSync(join(dir, e), { recursive: true, force: true });
    }
  }
  return true;
}
