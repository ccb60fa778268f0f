/**
 * kube-system/extension-apiserver-authentication: the ConfigMap aggregated
 * API servers (metrics-server) read to trust the front-proxy certificate and
 * the X-Remote-* headers, published as kube-apiserver publishes it.
 */
import type { KubeObject } from "../../api/types.ts";
import { ApiError, type Client, type ResourceRef } from "../../client/client.ts";

const CONFIGMAPS: ResourceRef = { group: "", version: "v1", resource: "configmaps", namespaced: true };

export interface AuthenticationConfig {
  /** PEM of the CA that signs client certificates */
  clientCA: string;
  /** PEM of the CA that signs the front-proxy client certificate */
  requestHeaderCA: string;
  /** common names the front-proxy certificate may carry (k3s: system:auth-proxy) */
  allowedNames: string[];
}

/** The ConfigMap's data. */
export function authenticationConfigData(cfg: AuthenticationConfig): Record<string, string> {
  return {
    "client-ca-file": cfg.clientCA,
    "requestheader-allowed-names": JSON.stringify(cfg.allowedNames),
    "requestheader-client-ca-file": cfg.requestHeaderCA,
    "requestheader-extra-headers-prefix": JSON.stringify(["X-Remote-Extra-"]),
    "requestheader-group-headers": JSON.stringify(["X-Remote-Group"]),
    "requestheader-username-headers": JSON.stringify(["X-Remote-User"]),
  };
}

/** Creates or updates the ConfigMap (kube-system must exist). */
export async function publishAuthenticationConfig(client: Client, cfg: AuthenticationConfig): Promise<void> {
  const data = authenticationConfigData(cfg);
  const obj: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "extension-apiserver-authentication", namespace: "kube-system" }, data };
  try {
    await client.create(CONFIGMAPS, "kube-system", obj);
    return;
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 409)) throw err;
  }
  const cur = await client.get(CONFIGMAPS, "kube-system", "extension-apiserver-authentication");
  if (JSON.stringify(cur.data) === JSON.stringify(data)) return;
  await client.update(CONFIGMAPS, "kube-system", { ...cur, data });
}

/** Publishes the ConfigMap in the background, retrying each second until it succeeds (kube-system may not exist yet). */
export function keepAuthenticationConfigPublished(client: Client, cfg: AuthenticationConfig): { stop(): void; published: Promise<boolean> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const published = (async () => {
    while (!stopped) {
      try {
        await publishAuthenticationConfig(client, cfg);
        return true;
      } catch {
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, 1000);
        });
      }
    }
    return false;
  })();
  return {
    published,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
    },
  };
}
