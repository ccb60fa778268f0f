/**
 * Kubelets running in this process, by node name, so the API server's
 * pods/log, exec, attach and port-forward hooks can reach a local kubelet
 * without going through HTTPS on 10250.
 */
import type { Kubelet } from "./kubelet.ts";

const local = new Map<string, Kubelet>();

/** Makes a kubelet reachable in-process; returns a function that unregisters it. */
export function registerLocalKubelet(k: Kubelet): () => void {
  local.set(k.nodeName, k);
  return () => {
    if (local.get(k.nodeName) === k) local.delete(k.nodeName);
  };
}

/** The in-process kubelet of a node, if any. */
export function localKubelet(nodeName: string): Kubelet | undefined {
  return local.get(nodeName);
}
