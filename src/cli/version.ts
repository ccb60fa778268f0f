/** The version k3s-ts reports: the Kubernetes release it emulates, with a +k3s-ts suffix. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The Kubernetes version whose API k3s-ts serves. */
export const KUBERNETES_VERSION = "v1.32.5";
/** k3s-style version string, e.g. v1.32.5+k3s-ts. */
export const K3S_VERSION = `${KUBERNETES_VERSION}+k3s-ts`;

function findGitDir(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git", "HEAD"))) return join(dir, ".git");
    if (dirname(dir) === dir) return undefined;
  }
}

/** The checkout's commit (12 hex digits), or "unknown" outside a git checkout. */
export function gitCommit(): string {
  try {
    const gitDir = findGitDir(dirname(fileURLToPath(import.meta.url)));
    if (!gitDir) return "unknown";
    const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) return head.slice(0, 12);
    const ref = head.slice(5);
    const loose = join(gitDir, ref);
    if (existsSync(loose)) return readFileSync(loose, "utf8").trim().slice(0, 12);
    const packed = readFileSync(join(gitDir, "packed-refs"), "utf8").split("\n").find((l) => l.endsWith(` ${ref}`));
    return packed ? packed.slice(0, 12) : "unknown";
  } catch {
    return "unknown";
  }
}

/** The two lines `k3s --version` prints. */
export function versionText(): string {
  return `k3s version ${K3S_VERSION} (${gitCommit()})\nnode version ${process.version}\n`;
}
