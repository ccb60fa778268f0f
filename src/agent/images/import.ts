/** Imports airgap image tarballs into containerd's k8s.io namespace, as k3s does at start-up. */
import { execFile, spawn } from "node:child_process";
import { createReadStream, existsSync, readdirSync } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { join } from "node:path";

/** Where to import from and into. */
export interface ImportOptions {
  /** containerd socket */
  socket: string;
  /** folder with *.tar, *.tar.gz, *.tgz, *.tar.zst */
  dir: string;
  /** default k8s.io (the CRI namespace) */
  namespace?: string;
}

/** One imported archive. */
export interface ImportResult {
  file: string;
  /** image references ctr reported */
  images: string[];
}

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.zst|tar\.zstd)$/;

function ctr(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("ctr", args, { timeout: 300_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ctr ${args.join(" ")} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** The archive as a plain tar stream: ctr 1.6 does not decompress imports itself. */
function decompressed(file: string): Readable {
  if (/\.(tar\.gz|tgz)$/.test(file)) return createReadStream(file).pipe(createGunzip());
  if (/\.zstd?$/.test(file)) {
    // Node 20 has no zstd; Debian's zstd CLI does it.
    const z = spawn("zstd", ["-d", "-c", file], { stdio: ["ignore", "pipe", "inherit"] });
    return z.stdout;
  }
  return createReadStream(file);
}

function ctrImport(args: string[], input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn("ctr", args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    c.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    c.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    input.on("error", (e) => {
      c.kill();
      reject(new Error(`reading image archive failed: ${e.message}`));
    });
    c.stdin.on("error", () => {});
    input.pipe(c.stdin);
    c.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`ctr ${args.join(" ")} failed: ${stderr.trim() || `exit ${code}`}`));
    });
  });
}

/** Imports every archive under dir (sorted by name); a missing dir imports nothing. */
export async function importImages(opts: ImportOptions): Promise<ImportResult[]> {
  if (!existsSync(opts.dir)) return [];
  const files = readdirSync(opts.dir).filter((f) => ARCHIVE.test(f)).sort();
  const out: ImportResult[] = [];
  for (const f of files) {
    const file = join(opts.dir, f);
    const stdout = await ctrImport(["-a", opts.socket, "-n", opts.namespace ?? "k8s.io", "images", "import", "--all-platforms", "-"], decompressed(file));
    const images = [...stdout.matchAll(/unpacking (\S+)/g)].map((m) => m[1]!);
    out.push({ file, images });
  }
  return out;
}

/** Lists image references in containerd's namespace (`ctr images ls -q`). */
export async function listImages(socket: string, namespace = "k8s.io"): Promise<string[]> {
  const stdout = await ctr(["-a", socket, "-n", namespace, "images", "ls", "-q"]);
  return stdout.split("\n").filter(Boolean);
}
