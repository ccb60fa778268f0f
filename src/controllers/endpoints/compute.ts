/** From a Service and its pods to endpoint addresses and ports (shared by Endpoints and EndpointSlices). */
import type { Pod, Service, ServicePort } from "../../client/types.ts";
import { isPodReady } from "../util/pods.ts";

/** One pod's endpoint with the ports it serves. */
export interface PodEndpoint {
  pod: Pod;
  ip: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  ports: { name?: string; port: number; protocol: string; appProtocol?: string }[];
}

/** The container port a service port targets on this pod (named ports resolved), or undefined. */
export function resolveTargetPort(sp: ServicePort, pod: Pod): number | undefined {
  const t = sp.targetPort ?? sp.port;
  if (typeof t === "number") return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === t && (p.protocol ?? "TCP") === (sp.protocol ?? "TCP")) return p.containerPort;
  }
  return undefined;
}

/** Endpoints of the pods a service selects; pods without an IP or already finished are left out. */
export function podEndpoints(svc: Service, pods: Pod[]): PodEndpoint[] {
  const out: PodEndpoint[] = [];
  const publishNotReady = svc.spec.publishNotReadyAddresses === true;
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    const ports: PodEndpoint["ports"] = [];
    for (const sp of svc.spec.ports ?? []) {
      const port = resolveTargetPort(sp, pod);
      if (port === undefined) continue;
      ports.push({ name: sp.name ?? "", port, protocol: sp.protocol ?? "TCP", ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const ready = isPodReady(pod);
    out.push({ pod, ip, ready: publishNotReady || (ready && !terminating), serving: publishNotReady || ready, terminating, ports });
  }
  return out;
}

/** A stable signature of a port set, for grouping endpoints that serve the same ports. */
export function portsKey(ports: PodEndpoint["ports"]): string {
  return JSON.stringify([...ports].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "") || a.port - b.port));
}
