/** CRI's int64 nanosecond timestamps and exit states as the pod status shows them. */
import type { ContainerStatus } from "./cri/mod.ts";
import type { ContainerStateK } from "./types.ts";

/** CRI nanoseconds (a decimal string) as milliseconds. */
export const nsToMs = (ns: string): number => Number(BigInt(ns) / 1_000_000n);

/** Now as the API's second-precision timestamp. */
export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

/** CRI nanoseconds as an API timestamp, undefined for zero. */
export function nsIso(ns: string): string | undefined {
  const n = BigInt(ns || "0");
  if (n <= 0n) return undefined;
  return new Date(Number(n / 1_000_000n)).toISOString().replace(/\.\d+Z$/, "Z");
}

/** A CRI status of an exited container as a pod status terminated state. */
export function terminatedOf(st: ContainerStatus): ContainerStateK["terminated"] {
  return {
    exitCode: st.exit_code,
    reason: st.reason || (st.exit_code === 0 ? "Completed" : "Error"),
    message: st.message || undefined,
    startedAt: nsIso(st.started_at),
    finishedAt: nsIso(st.finished_at),
    containerID: `containerd://${st.id}`,
  };
}
