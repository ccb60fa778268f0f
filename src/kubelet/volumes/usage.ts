/** Disk use of a volume directory, as the eviction manager measures emptyDir volumes against their sizeLimit. */
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Bytes allocated under path (du semantics: blocks, not apparent sizes; symlinks not followed). */
export function diskUsage(path: string): number {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return 0;
  }
  let total = st.blocks * 512;
  if (st.isDirectory()) {
    let entries: string[] = [];
    try {
      entries = readdirSync(path);
    } catch {
      return total;
    }
    for (const e of entries) total += diskUsage(join(path, e));
  }
  return total;
}
