/**
 * The API server's pods/log (and later exec/attach/port-forward) hooks: they
 * reach the kubelet of the pod's node, in-process when it runs here.
 */
import type { KubeObject } from "../api/types.ts";
import { badRequest, type ApiServer, type ApiResponse } from "../apiserver/mod.ts";
import { ApiStatusError, failure } from "../apiserver/mod.ts";
import { localKubelet, LogNotFoundError, NotFoundOnNodeError } from "../kubelet/mod.ts";

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return n;
}

function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === "true" || v === "1";
}

function containerOf(pod: KubeObject, requested: string | null): string {
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[] };
  const names = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name);
  const podName = pod.metadata.name ?? "";
  if (requested) {
    if (!names.includes(requested)) {
      throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    }
    return requested;
  }
  if ((spec.containers ?? []).length === 1) return spec.containers![0].name;
  throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${(spec.containers ?? []).map((c) => c.name).join(" ")}]`);
}

/** Registers the pods/log hook. */
export function mountPodLogs(api: ApiServer): void {
  api.registerSubresource("pods", "log", async (req, ctx): Promise<ApiResponse> => {
    const pod = await ctx.getParent();
    const container = containerOf(pod, req.query.get("container"));
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
    const kubelet = localKubelet(nodeName);
    if (!kubelet) {
      throw new ApiStatusError(failure(502, { reason: "InternalError", message: `no kubelet of node ${nodeName} is reachable from this server` }));
    }
    const stream = kubelet.podLogStream({
      namespace: pod.metadata.namespace ?? "default",
      pod: pod.metadata.name ?? "",
      uid: pod.metadata.uid,
      container,
      follow: boolParam(req.query, "follow"),
      previous: boolParam(req.query, "previous"),
      timestamps: boolParam(req.query, "timestamps"),
      tailLines: intParam(req.query, "tailLines"),
      sinceSeconds: intParam(req.query, "sinceSeconds"),
      sinceTime: req.query.get("sinceTime") ?? undefined,
      limitBytes: intParam(req.query, "limitBytes"),
      signal: req.signal,
    });
    // the first chunk tells whether the log exists at all, so errors can still be a Status
    let first: IteratorResult<Buffer>;
    try {
      first = await stream.next();
    } catch (err) {
      if (err instanceof LogNotFoundError || err instanceof NotFoundOnNodeError) throw badRequest(err.message);
      throw err;
    }
    async function* body(): AsyncGenerator<Buffer> {
      if (!first.done) yield first.value;
      yield* stream;
    }
    return { status: 200, headers: { "content-type": "text/plain" }, body: body() };
  });
}
