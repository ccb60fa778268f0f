/**
 * What a container needs before CreateContainer, and the checks that hold it
 * in CreateContainerConfigError: its environment, its subPaths, runAsNonRoot
 * against the image's user; and the host file behind its termination message.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KubeletContext } from "./context.ts";
import { containerEnv, type ObjectCache } from "./env.ts";
import { runAsNonRootViolation } from "./security.ts";
import type { ContainerSpec, KPod } from "./types.ts";
import { prepareSubPaths } from "./volumes/mod.ts";

/** The pod-side facts a container's preparation reads. */
export interface PrepareOptions {
  ctx: KubeletContext;
  container: ContainerSpec;
  objects: ObjectCache;
  /** volume name → host path */
  volumes: Map<string, string>;
  podIPs: string[];
  /** the pulled image (ImageStatus tells its user) */
  imageRef: string;
}

/** The container's environment once every check has passed; throws the CreateContainerConfigError message otherwise. */
export async function prepareContainer(pod: KPod, o: PrepareOptions): Promise<[string, string][]> {
  const { ctx, container: c } = o;
  const env = await containerEnv(pod, {
    container: c,
    objects: o.objects,
    allocatable: ctx.allocatable(),
    base: pod.spec.enableServiceLinks === false ? await ctx.serviceEnv("") : await ctx.serviceEnv(pod.metadata.namespace ?? "default"),
    hostIP: ctx.hostIPs[0],
    podIP: o.podIPs[0],
    podIPs: o.podIPs,
    nodeName: ctx.nodeName,
  });
  prepareSubPaths(c, { volumes: o.volumes, env });
  if (c.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot) {
    const violation = runAsNonRootViolation(pod, { container: c, image: await ctx.cri.imageStatus(o.imageRef) });
    if (violation) throw new Error(violation);
  }
  return env;
}

/** Names one instance of a container of a pod. */
export interface InstanceRef {
  uid: string;
  container: string;
  attempt: number;
}

function terminationPath(rootDir: string, r: InstanceRef): string {
  return join(rootDir, "pods", r.uid, "containers", r.container, `termination-${r.attempt}`);
}

/** Creates the empty host file mounted at the instance's terminationMessagePath. */
export function createTerminationFile(rootDir: string, r: InstanceRef): string {
  const file = terminationPath(rootDir, r);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, "");
  return file;
}

/** What the instance wrote to its termination message (at most 4096 bytes), if anything. */
export function readTerminationMessage(rootDir: string, r: InstanceRef): string | undefined {
  try {
    const t = readFileSync(terminationPath(rootDir, r), "utf8");
    return t ? t.slice(0, 4096) : undefined;
  } catch {
    return undefined;
  }
}
