/** The node settings an agent registers with: k3s's labels and taints from flags. */
import type { AgentConfig } from "../server/config.ts";

export type Taint = { key: string; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" };

/** Parses --node-label key=value entries. */
export function parseNodeLabels(labels: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) {
    const eq = l.indexOf("=");
    if (eq <= 0) throw new Error(`invalid node label ${JSON.stringify(l)}: want key=value`);
    out[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return out;
}

/** Parses --node-taint key[=value]:Effect entries. */
export function parseNodeTaints(taints: string[]): Taint[] {
  return taints.map((t) => {
    const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(t);
    if (!m) throw new Error(`invalid node taint ${JSON.stringify(t)}: want key[=value]:NoSchedule|PreferNoSchedule|NoExecute`);
    return { key: m[1], value: m[2] || undefined, effect: m[3] as Taint["effect"] };
  });
}

/** The labels a kubelet registers its node with (node-role labels are the server's to set: NodeRestriction forbids them). */
export function k3sNodeLabels(config: AgentConfig): Record<string, string> {
  return { "node.kubernetes.io/instance-type": "k3s", ...parseNodeLabels(config.nodeLabels) };
}

/** The labels a server puts on its own node once the kubelet has registered it. */
export const CONTROL_PLANE_LABELS: Record<string, string> = {
  "node-role.kubernetes.io/control-plane": "true",
  "node-role.kubernetes.io/master": "true",
};
