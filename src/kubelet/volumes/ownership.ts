/**
 * fsGroup ownership of a whole volume, as upstream's SetVolumeOwnership with
 * the pod's fsGroupChangePolicy: Always walks the tree every time the volume
 * is set up for a pod; OnRootMismatch skips the walk when the volume's root
 * already has the group, the group permissions and the setgid bit.
 */
import { statSync } from "node:fs";
import { applyFsGroup } from "../security.ts";
import type { KPod } from "../types.ts";

/** The pod's fsGroupChangePolicy (upstream's default is Always). */
export type FsGroupChangePolicy = "Always" | "OnRootMismatch";

/** What ownership a volume gets. */
export interface OwnershipOptions {
  gid: number;
  readOnly?: boolean;
  policy?: FsGroupChangePolicy;
}

/** Whether the volume root already is what fsGroup asks for (upstream's requiresPermissionChange, negated). */
export function rootOwnershipMatches(dir: string, opts: { gid: number; readOnly?: boolean }): boolean {
  const st = statSync(dir);
  if (st.gid !== opts.gid || !st.isDirectory()) return false;
  const want = (opts.readOnly ? 0o440 : 0o660) | 0o110;
  return (st.mode & want) === want && (st.mode & 0o2000) !== 0;
}

/** Gives the volume to the fsGroup unless OnRootMismatch finds its root already matching; returns whether it walked. */
export function setVolumeOwnership(dir: string, opts: OwnershipOptions): boolean {
  if (opts.policy === "OnRootMismatch" && rootOwnershipMatches(dir, opts)) return false;
  applyFsGroup(dir, { gid: opts.gid, readOnly: opts.readOnly });
  return true;
}

/** The pod's fsGroup and its change policy, or undefined when the pod sets no fsGroup. */
export function podFsGroup(pod: KPod): { gid: number; policy: FsGroupChangePolicy } | undefined {
  const sc = pod.spec.securityContext as { fsGroup?: number; fsGroupChangePolicy?: FsGroupChangePolicy } | undefined;
  if (sc?.fsGroup === undefined) return undefined;
  return { gid: sc.fsGroup, policy: sc.fsGroupChangePolicy === "OnRootMismatch" ? "OnRootMismatch" : "Always" };
}
