/** Pod security the kubelet enforces itself: runAsNonRoot against the image's user, and fsGroup ownership of volumes. */
import { chmodSync, lchownSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Image } from "./cri/mod.ts";
import type { ContainerSpec, KPod } from "./types.ts";

/** Why the container may not run under runAsNonRoot (upstream's messages), or undefined when it may. */
export function runAsNonRootViolation(pod: KPod, ref: { container: ContainerSpec; image: Image | null }): string | undefined {
  const c = ref.container;
  const psc = pod.spec.securityContext ?? {};
  const sc = c.securityContext ?? {};
  if (!(sc.runAsNonRoot ?? psc.runAsNonRoot)) return undefined;
  const who = `pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})", container: ${c.name}`;
  const runAsUser = sc.runAsUser ?? psc.runAsUser;
  if (runAsUser !== undefined) return runAsUser === 0 ? `container's runAsUser breaks non-root policy (${who})` : undefined;
  const img = ref.image;
  // an image that names no user runs as root
  if (img?.uid) return BigInt(img.uid.value) === 0n ? `container has runAsNonRoot and image will run as root (${who})` : undefined;
  if (img?.username) return `container has runAsNonRoot and image has non-numeric user (${img.username}), cannot verify user is non-root (${who})`;
  return `container has runAsNonRoot and image will run as root (${who})`;
}

/**
 * Gives a volume's tree to the fsGroup as upstream's SetVolumeOwnership does:
 * group owner fsGroup, group read (and write unless read-only) on files,
 * setgid on directories so new files inherit the group.
 */
export function applyFsGroup(dir: string, opts: { gid: number; readOnly?: boolean }): void {
  const fileMask = opts.readOnly ? 0o440 : 0o660;
  const walk = (path: string): void => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) {
      lchownSync(path, st.uid, opts.gid);
      return;
    }
    if (st.gid !== opts.gid) lchownSync(path, st.uid, opts.gid);
    const want = (st.isDirectory() ? st.mode | fileMask | 0o110 | 0o2000 : st.mode | fileMask) & 0o7777;
    if ((st.mode & 0o7777) !== want) chmodSync(path, want);
    if (st.isDirectory()) for (const e of readdirSync(path)) walk(join(path, e));
  };
  walk(dir);
}
