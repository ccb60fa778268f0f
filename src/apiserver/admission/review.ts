/** AdmissionReview v1: the request sent to a webhook and what its response means (denials, patches). */
import { randomUUID } from "node:crypto";
import type { KubeObject, Status } from "../../api/types.ts";
import { ApiStatusError } from "../errors.ts";
import type { AdmissionAttributes } from "../rest/context.ts";

/** The `response` part of an AdmissionReview. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: Partial<Status>;
  patch?: string;
  patchType?: string;
  warnings?: string[];
}

export interface AdmissionReview {
  apiVersion: "admission.k8s.io/v1";
  kind: "AdmissionReview";
  request?: Record<string, unknown> & { uid: string };
  response?: AdmissionResponse;
}

const OPTIONS_KIND = { CREATE: "CreateOptions", UPDATE: "UpdateOptions", DELETE: "DeleteOptions" } as const;

/** The AdmissionReview a webhook is sent for one request. */
export function admissionReview(a: AdmissionAttributes): AdmissionReview & { request: { uid: string } } {
  const kind = { group: a.kind.group, version: a.kind.version, kind: a.kind.kind };
  const resource = { group: a.kind.group, version: a.kind.version, resource: a.kind.resource };
  const user: Record<string, unknown> = { username: a.user.username, groups: a.user.groups };
  if (a.user.uid) user.uid = a.user.uid;
  if (a.user.extra && Object.keys(a.user.extra).length) user.extra = a.user.extra;
  const object: KubeObject | null = a.operation === "DELETE" ? null : (a.object ?? null);
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: randomUUID(),
      kind,
      resource,
      ...(a.subresource ? { subResource: a.subresource } : {}),
      requestKind: kind,
      requestResource: resource,
      ...(a.subresource ? { requestSubResource: a.subresource } : {}),
      name: a.name,
      ...(a.kind.namespaced ? { namespace: a.namespace } : {}),
      operation: a.operation,
      userInfo: user,
      object,
      oldObject: a.oldObject ?? null,
      dryRun: a.dryRun,
      options: { kind: OPTIONS_KIND[a.operation], apiVersion: "meta.k8s.io/v1" },
    },
  };
}

/** Upstream's webhook denial: the webhook's Status, at least 400, its message prefixed with the webhook's name. */
export function denial(webhookName: string, result: Partial<Status> | undefined): ApiStatusError {
  const deniedBy = `admission webhook ${JSON.stringify(webhookName)} denied the request`;
  const code = typeof result?.code === "number" && result.code >= 400 ? result.code : 400;
  const message = result?.message ? `${deniedBy}: ${result.message}` : result?.reason ? `${deniedBy}: ${result.reason}` : `${deniedBy} without explanation`;
  const status: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, code };
  if (result?.reason) status.reason = result.reason;
  if (result?.details) status.details = result.details;
  return new ApiStatusError(status);
}

/** Checks a webhook's answer is an AdmissionReview response for this request. */
export function responseFor(body: unknown, uid: string): AdmissionResponse {
  const review = body as AdmissionReview | null;
  if (!review || typeof review !== "object" || !review.response || typeof review.response !== "object") {
    throw new Error("webhook response was absent");
  }
  if (review.apiVersion !== "admission.k8s.io/v1" || review.kind !== "AdmissionReview") {
    throw new Error(`expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${String(review.apiVersion)}, Kind=${String(review.kind)}`);
  }
  const r = review.response;
  if (r.uid !== uid) throw new Error(`expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(r.uid)}`);
  return r;
}
