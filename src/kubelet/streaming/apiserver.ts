/**
 * The API server's side of pods/log, pods/exec, pods/attach and
 * pods/portforward: find the pod's node, then use the kubelet in this
 * process (localKubelet) or the node's kubelet over HTTPS on 10250.
 */
import type { IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Duplex } from "node:stream";
import type { ConnectionOptions } from "node:tls";
import type { KubeObject } from "../../api/types.ts";
import type { ApiRequest, ApiResponse } from "../../apiserver/request.ts";
import { NotFoundOnNodeError } from "../kubelet.ts";
import { localKubelet } from "../local.ts";
import { LogNotFoundError } from "../logs.ts";
import { streamUrlFor } from "../server.ts";
import type { KPod } from "../types.ts";
import { forwardUpgrade, proxyToCri, refuseUpgrade } from "./proxy.ts";

/** How the API server reaches kubelets on other nodes. */
export interface KubeletAccessOptions {
  /** the address of a node's kubelet (its InternalIP); used when the kubelet is not in this process */
  nodeAddress(nodeName: string): Promise<string>;
  /** default 10250 */
  kubeletPort?: number;
  /** client certificate (client-kube-apiserver) and CA for kubelet connections */
  kubeletTLS?: ConnectionOptions;
}

function statusResponse(code: number, reason: string, message: string): ApiResponse {
  return {
    status: code,
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code })),
  };
}

/** The container a request names, or the pod's only one; throws a 400-worthy message otherwise. */
export function pickContainer(pod: KPod, requested: string | null): string {
  const names = [...pod.spec.containers.map((c) => c.name), ...(pod.spec.initContainers ?? []).map((c) => c.name)];
  if (requested) {
    if (!names.includes(requested)) throw new Error(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  if (pod.spec.containers.length === 1) return pod.spec.containers[0]!.name;
  throw new Error(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${pod.spec.containers.map((c) => c.name).join(" ")}]`);
}

async function* remoteBody(res: IncomingMessage): AsyncGenerator<Buffer> {
  for await (const chunk of res) yield chunk as Buffer;
}

/** A pods/log subresource handler (register with registerSubresource("pods", "log", ...)). */
export function podLogSubresource(opts: KubeletAccessOptions): (req: ApiRequest, ctx: { getParent(): Promise<KubeObject> }) => Promise<ApiResponse> {
  return async (req, ctx) => {
    const pod = (await ctx.getParent()) as KPod;
    let container: string;
    try {
      container = pickContainer(pod, req.query.get("container"));
    } catch (e) {
      return statusResponse(400, "BadRequest", (e as Error).message);
    }
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return statusResponse(400, "BadRequest", `pod ${pod.metadata.name} is not scheduled to a node yet`);
    const q = req.query;
    const num = (n: string): number | undefined => (q.get(n) ? Number(q.get(n)) : undefined);
    const bool = (n: string): boolean => q.get(n) === "true" || q.get(n) === "1";
    const local = localKubelet(nodeName);
    if (local) {
      const stream = local.podLogStream({
        namespace: pod.metadata.namespace!,
        pod: pod.metadata.name!,
        uid: pod.metadata.uid,
        container,
        follow: bool("follow"),
        previous: bool("previous"),
        timestamps: bool("timestamps"),
        tailLines: num("tailLines"),
        sinceSeconds: num("sinceSeconds"),
        sinceTime: q.get("sinceTime") ?? undefined,
        limitBytes: num("limitBytes"),
        signal: req.signal,
      });
      // read the first chunk here so a missing log is a proper 400 instead of a broken stream
      try {
        const first = await stream.next();
        async function* rest(): AsyncGenerator<Buffer> {
          if (!first.done) yield first.value;
          yield* stream;
        }
        return { status: 200, headers: { "content-type": "text/plain" }, body: rest() };
      } catch (e) {
        if (e instanceof LogNotFoundError || e instanceof NotFoundOnNodeError) return statusResponse(400, "BadRequest", (e as Error).message);
        throw e;
      }
    }
    const addr = await opts.nodeAddress(nodeName);
    const path = `/containerLogs/${encodeURIComponent(pod.metadata.namespace!)}/${encodeURIComponent(pod.metadata.name!)}/${encodeURIComponent(container)}?${q.toString()}`;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const r = httpsRequest({ host: addr, port: opts.kubeletPort ?? 10250, path, method: "GET", ...opts.kubeletTLS, signal: req.signal }, resolve);
      r.on("error", reject);
      r.end();
    });
    return { status: res.statusCode ?? 502, headers: { "content-type": String(res.headers["content-type"] ?? "text/plain") }, body: remoteBody(res) };
  };
}

/** What podStreamUpgrade needs besides kubelet access. */
export interface PodStreamOptions extends KubeletAccessOptions {
  /** reads the pod (the caller has authorized create on pods/<verb>) */
  getPod(namespace: string, name: string): Promise<KubeObject>;
}

const STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

/** Whether an upgrade request is a pods exec/attach/portforward (so podStreamUpgrade will take it). */
export function isPodStreamPath(url: string | undefined): boolean {
  return STREAM_PATH.test(new URL(url ?? "/", "http://x").pathname);
}

/**
 * Serves an upgrade request for /api/v1/namespaces/<ns>/pods/<pod>/{exec,attach,portforward}
 * (authentication and authorization already done); returns false for other paths.
 * Takes Node's "upgrade" event arguments as they come (src/server wires it so).
 */
export function podStreamUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, opts: PodStreamOptions): boolean {
  const url = new URL(req.url ?? "/", "http://x");
  const m = STREAM_PATH.exec(url.pathname);
  if (!m) return false;
  const [, ns, name, verb] = m.map((s) => decodeURIComponent(s)) as [string, string, string, string];
  void (async () => {
    const pod = (await opts.getPod(ns, name)) as KPod;
    const container = verb === "portforward" ? "" : pickContainer(pod, url.searchParams.get("container"));
    const nodeName = pod.spec.nodeName;
    if (!nodeName) throw new Error(`pod ${name} is not scheduled to a node yet`);
    const kubeletPath = `/${verb}/${encodeURIComponent(ns)}/${encodeURIComponent(name)}${container ? `/${encodeURIComponent(container)}` : ""}`;
    const local = localKubelet(nodeName);
    if (local) {
      proxyToCri({ req, socket, head }, await streamUrlFor(local, { pathname: kubeletPath, query: url.searchParams }));
      return;
    }
    const addr = await opts.nodeAddress(nodeName);
    forwardUpgrade({ req, socket, head }, { url: `https://${addr}:${opts.kubeletPort ?? 10250}${kubeletPath}${url.search}`, tls: opts.kubeletTLS });
  })().catch((e: unknown) => {
    const msg = (e as Error).message;
    const code = e instanceof NotFoundOnNodeError || /not found/.test(msg) ? 404 : /container name must be specified|not valid for pod|not scheduled/.test(msg) ? 400 : 500;
    refuseUpgrade(socket, { code, message: msg });
  });
  return true;
}
