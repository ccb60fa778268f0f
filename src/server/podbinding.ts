/**
 * pods/binding: the scheduler's way to set spec.nodeName, which no update may
 * change. It writes the stored pod directly, guarded by its revision.
 */
import type { KubeObject } from "../api/types.ts";
import { badRequest, conflict, notFound, storageKey, type ApiServer, type ApiResponse } from "../apiserver/mod.ts";
import { ConflictError, type Backend } from "../datastore/mod.ts";

interface PodShape extends KubeObject {
  spec?: { nodeName?: string };
  status?: { conditions?: { type: string; status: string; lastProbeTime?: string | null; lastTransitionTime?: string }[] };
}

function parseBinding(body: Buffer | undefined): { name?: string; uid?: string; node: string } {
  let b: { metadata?: { name?: string; uid?: string }; target?: { kind?: string; name?: string } };
  try {
    b = JSON.parse((body ?? Buffer.alloc(0)).toString("utf8"));
  } catch (err) {
    throw badRequest(`error decoding binding: ${(err as Error).message}`);
  }
  const node = b.target?.name;
  if (!node) throw badRequest("Binding.target.name is required");
  if (b.target?.kind && b.target.kind !== "Node") throw badRequest(`Binding.target.kind must be Node, not ${JSON.stringify(b.target.kind)}`);
  return { name: b.metadata?.name, uid: b.metadata?.uid, node };
}

/** Binds the pod to the node, once; a pod already bound elsewhere is a 409. */
async function bind(backend: Backend, key: string, ref: { namespace: string; name: string; uid?: string }, node: string): Promise<void> {
  const gr = { group: "", resource: "pods" };
  for (let attempt = 0; attempt < 5; attempt++) {
    const { kv } = await backend.get(key);
    if (!kv) throw notFound(gr, ref.name);
    const pod = JSON.parse(kv.value.toString("utf8")) as PodShape;
    if (ref.uid && pod.metadata.uid !== ref.uid) throw conflict(gr, ref.name, `the UID in the binding (${ref.uid}) does not match the pod's (${pod.metadata.uid})`);
    if (pod.metadata.deletionTimestamp) throw conflict(gr, ref.name, "pod is being deleted, cannot be assigned to a host");
    if (pod.spec?.nodeName) throw conflict(gr, ref.name, `pod ${ref.name} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec = { ...(pod.spec ?? {}), nodeName: node };
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== "PodScheduled");
    conditions.push({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z") });
    pod.status = { ...(pod.status ?? {}), conditions };
    delete pod.metadata.resourceVersion;
    try {
      await backend.update(key, Buffer.from(JSON.stringify(pod)), kv.modRevision);
      return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  throw conflict(gr, ref.name, "the pod kept changing while it was being bound");
}

/** Registers pods/binding on the API server. */
export function mountPodBinding(api: ApiServer, backend: Backend): void {
  api.registerSubresource("pods", "binding", async (req, ctx): Promise<ApiResponse> => {
    if (req.method !== "POST") throw badRequest(`pods/binding accepts only POST, not ${req.method}`);
    const binding = parseBinding(req.body);
    const namespace = ctx.info.namespace;
    const name = ctx.info.name;
    if (binding.name && binding.name !== name) throw badRequest(`binding name ${binding.name} does not match the pod ${name}`);
    await bind(backend, storageKey(ctx.kind, { namespace, name }), { namespace, name, uid: binding.uid }, binding.node);
    const status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
    return { status: 201, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(status)) };
  });
}
