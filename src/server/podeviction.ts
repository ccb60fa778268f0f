/**
 * pods/eviction (policy/v1 Eviction): deletes a pod unless that would break
 * its PodDisruptionBudget, spending one of the budget's allowed disruptions.
 */
import type { KubeObject, Status } from "../api/types.ts";
import type { ApiResponse, ApiServer } from "../apiserver/mod.ts";
import { decodeProtobuf, selectorMatches } from "../api/mod.ts";
import type { SchemaRegistry } from "../api/kind.ts";
import { ApiError, type Client, type DeleteOptions } from "../client/client.ts";
import { R } from "../client/mod.ts";

interface Pdb extends KubeObject {
  spec?: { selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } };
  status?: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; observedGeneration?: number; disruptedPods?: Record<string, string> };
}

function respond(code: number, body: Status): ApiResponse {
  return { status: code, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(body)) };
}

function status(code: number, reason: string, message: string, extra: Partial<Status> = {}): ApiResponse {
  return respond(code, { kind: "Status", apiVersion: "v1", metadata: {}, status: code < 300 ? "Success" : "Failure", ...(code < 300 ? {} : { reason, message }), code, ...extra });
}

function isTerminal(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** Registers pods/eviction; `client` acts for the API server (an eviction needs no delete right on the pod). */
export function mountPodEviction(api: ApiServer, opts: { client: Client; schemas: SchemaRegistry }): void {
  const { client, schemas } = opts;
  api.registerSubresource("pods", "eviction", async (req, ctx) => {
    if (req.method !== "POST") return status(405, "MethodNotAllowed", `the server does not allow this method on the requested resource: ${req.method}`);
    let eviction: { deleteOptions?: DeleteOptions } = {};
    try {
      const body = req.body ?? Buffer.from("{}");
      // client-go may send the Eviction as protobuf
      eviction = (req.headers["content-type"] ?? "").startsWith("application/vnd.kubernetes.protobuf")
        ? (decodeProtobuf(schemas, body) as typeof eviction)
        : (JSON.parse(body.toString("utf8")) as typeof eviction);
    } catch (err) {
      return status(400, "BadRequest", `invalid eviction body: ${(err as Error).message}`);
    }
    const pod = await ctx.getParent();
    const namespace = ctx.info.namespace;
    const name = ctx.info.name;
    const evict = async (): Promise<ApiResponse> => {
      try {
        await client.delete(R.pods, namespace, name, eviction.deleteOptions ?? {});
      } catch (err) {
        if (err instanceof ApiError) return respond(err.code, err.status);
        throw err;
      }
      return status(201, "", "");
    };
    if (isTerminal(pod) || pod.metadata.deletionTimestamp) return evict();
    const labels = pod.metadata.labels ?? {};
    const pdbs = (await client.list<Pdb>(R.poddisruptionbudgets, namespace)).items.filter(
      (p) => p.spec?.selector && selectorMatches(p.spec.selector, labels),
    );
    if (pdbs.length === 0) return evict();
    if (pdbs.length > 1) return status(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
    const pdb = pdbs[0];
    const st = pdb.status ?? {};
    if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0) || (st.disruptionsAllowed ?? 0) <= 0) {
      return status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", {
        details: { causes: [{ reason: "DisruptionBudget", message: `The disruption budget ${pdb.metadata.name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently` }] },
      });
    }
    // spend the disruption first, guarded by the budget's resourceVersion, so two evictions cannot both use the last one
    const updated: Pdb = { ...pdb, status: { ...st, disruptionsAllowed: (st.disruptionsAllowed ?? 1) - 1, disruptedPods: { ...(st.disruptedPods ?? {}), [name]: new Date().toISOString().replace(/\.\d+Z$/, "Z") } } };
    try {
      await client.update(R.poddisruptionbudgets, namespace, updated, { subresource: "status" });
    } catch (err) {
      if (err instanceof ApiError && err.code === 409) return status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", { details: { retryAfterSeconds: 1 } });
      throw err;
    }
    return evict();
  });
}
