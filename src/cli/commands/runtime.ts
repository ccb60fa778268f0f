/** `k3s ctr` and `k3s crictl`: the host's tools (or the built-in crictl) pointed at k3s's embedded containerd. */
import { execPassthrough, which } from "./exec.ts";

/** The containerd socket the k3s agent runs. */
export const CONTAINERD_SOCKET = "/run/k3s/containerd/containerd.sock";

/** The environment ctr runs with: k3s's socket and namespace k8s.io unless the user chose others. */
export function ctrEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, CONTAINERD_ADDRESS: env.CONTAINERD_ADDRESS || CONTAINERD_SOCKET, CONTAINERD_NAMESPACE: env.CONTAINERD_NAMESPACE || "k8s.io" };
}

/** Runs ctr against k3s's containerd in namespace k8s.io (both overridable with ctr's own flags or env). */
export function runCtr(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  return execPassthrough("ctr", args, { env: ctrEnvironment(env), missingHint: "install Debian's containerd package" });
}

/**
 * Runs crictl against k3s's containerd: a crictl binary on PATH wins, as
 * before; without one (Debian 12 does not package cri-tools) the built-in
 * crictl answers with the same subcommands and output.
 */
export function runCrictl(args: string[], env: NodeJS.ProcessEnv = process.env): number | Promise<number> {
  const endpoint = `unix://${CONTAINERD_SOCKET}`;
  if (!which("crictl", env.PATH ?? "")) {
    // loaded on demand: ctr and kubectl must not pay for the gRPC client. The
    // env endpoint beats /etc/crictl.yaml as with k3s's crictl; the images
    // endpoint is left to follow the runtime's, so --runtime-endpoint moves both
    const builtinEnv = { ...env, CONTAINER_RUNTIME_ENDPOINT: env.CONTAINER_RUNTIME_ENDPOINT || endpoint };
    return import("./crictl/mod.ts").then((m) => m.runBuiltinCrictl(args, builtinEnv));
  }
  return execPassthrough("crictl", args, {
    env: { ...env, CONTAINER_RUNTIME_ENDPOINT: env.CONTAINER_RUNTIME_ENDPOINT || endpoint, IMAGE_SERVICE_ENDPOINT: env.IMAGE_SERVICE_ENDPOINT || endpoint },
  });
}
