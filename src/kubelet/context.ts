/** What every pod worker shares with the kubelet. */
import type { Client, EventRecorder } from "../client/mod.ts";
import type { CriClient } from "./cri/mod.ts";
import type { ImagePuller } from "./images.ts";
import type { SandboxContext } from "./spec.ts";
import type { TokenCache } from "./volumes/mod.ts";

/** The node-wide services a pod worker uses. */
export interface KubeletContext {
  client: Client;
  cri: CriClient;
  nodeName: string;
  hostIPs: string[];
  sandbox: SandboxContext;
  /** kubelet root dir, /var/lib/kubelet by default */
  rootDir: string;
  events: EventRecorder;
  tokens: TokenCache;
  images: ImagePuller;
  allocatable(): Record<string, string>;
  /** KUBERNETES_SERVICE_HOST and friends for the pod's namespace */
  serviceEnv(namespace: string): Promise<Record<string, string>>;
  log(msg: string): void;
}
