/** Container lifecycle hooks around start and stop: postStart after the start, preStop inside the grace period. */
import { CriError, type CriClient } from "./cri/mod.ts";
import { runAction } from "./probes.ts";
import type { ContainerSpec } from "./types.ts";

/** Where a hook runs and for how long. */
export interface HookTarget {
  cri: CriClient;
  containerId: string;
  container: ContainerSpec;
  /** the pod IP (host IP for hostNetwork pods): httpGet's default host */
  host: string;
}

/** Runs the postStart hook; resolves to the failure message, or undefined when it passed (or there is none). */
export async function runPostStart(t: HookTarget): Promise<string | undefined> {
  const h = t.container.lifecycle?.postStart;
  if (!h) return undefined;
  const r = await runAction(h, { ...t, timeoutSeconds: 30 });
  return r.ok ? undefined : r.message;
}

// upstream's minimumGracePeriodInSeconds: what the container gets after a preStop that used up the grace
const MIN_GRACE_AFTER_PRESTOP = 2;

/** Stops a container as upstream does: preStop first (bounded by the grace period), then SIGTERM with the rest of the grace, then SIGKILL. */
export async function stopWithPreStop(t: HookTarget, graceSeconds: number): Promise<void> {
  const start = Date.now();
  const h = t.container.lifecycle?.preStop;
  if (h && graceSeconds > 0) {
    const hook = runAction(h, { ...t, timeoutSeconds: graceSeconds });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([hook, new Promise((r) => (timer = setTimeout(r, graceSeconds * 1000)))]);
    clearTimeout(timer);
  }
  const used = Math.floor((Date.now() - start) / 1000);
  const left = graceSeconds > 0 ? Math.max(h ? MIN_GRACE_AFTER_PRESTOP : 0, graceSeconds - used) : 0;
  await t.cri.stopContainer(t.containerId, left).catch((e: unknown) => {
    if (!(e instanceof CriError && e.notFound)) throw e;
  });
}
