/**
 * Wires pods/log, exec, attach and port-forward: the API server reaches the
 * pod's kubelet in-process when it runs here, else over HTTPS on the node's
 * port 10250 with the API server's kubelet client certificate.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { UserInfo } from "../api/types.ts";
import type { ApiServer, UpgradeHandler } from "../apiserver/mod.ts";
import type { Authorizer } from "../apiserver/auth/mod.ts";
import type { Client } from "../client/client.ts";
import { R } from "../client/mod.ts";
import { isPodStreamPath, podLogSubresource, podStreamUpgrade, type KubeletAccessOptions } from "../kubelet/mod.ts";
import type { ServerPKI } from "./pki/mod.ts";

export interface PodStreamsOptions {
  api: ApiServer;
  /** reads nodes and pods (a superuser client) */
  client: Client;
  authorizer: Authorizer;
  pki: ServerPKI;
}

const STREAM = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

function refuse(socket: Duplex, code: number, reason: string, message: string): void {
  const body = JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Registers pods/log and returns the upgrade handler for exec/attach/port-forward. */
export function mountPodStreams(opts: PodStreamsOptions): UpgradeHandler {
  const access: KubeletAccessOptions = {
    async nodeAddress(nodeName) {
      const node = await opts.client.get(R.nodes, undefined, nodeName);
      const addresses = ((node.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? []);
      const internal = addresses.find((a) => a.type === "InternalIP") ?? addresses[0];
      if (!internal) throw new Error(`node ${nodeName} reports no address`);
      return internal.address;
    },
    kubeletTLS: {
      ca: opts.pki.serverCA.certPEM,
      cert: opts.pki.clientKubeAPIServer.certPEM,
      key: opts.pki.clientKubeAPIServer.keyPEM,
    },
  };
  opts.api.registerSubresource("pods", "log", podLogSubresource(access));
  return (req: IncomingMessage, socket: Duplex, head: Buffer, user: UserInfo): void => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const m = STREAM.exec(path);
    if (!m || !isPodStreamPath(req.url)) {
      refuse(socket, 404, "NotFound", `no upgrade is served at ${path}`);
      return;
    }
    const [, namespace, name, verb] = m.map(decodeURIComponent) as [string, string, string, string];
    void opts.authorizer
      .authorize({ user, verb: "create", resourceRequest: true, apiGroup: "", apiVersion: "v1", resource: "pods", subresource: verb, namespace, name })
      .then((d) => {
        if (!d.allowed) {
          refuse(socket, 403, "Forbidden", `pods "${name}" is forbidden: User "${user.username}" cannot create resource "pods/${verb}" in API group "" in the namespace "${namespace}"`);
          return;
        }
        podStreamUpgrade(req, socket, head, { ...access, getPod: (ns, n) => opts.client.get(R.pods, ns, n) });
      })
      .catch((err: unknown) => refuse(socket, 500, "InternalError", (err as Error).message));
  };
}
