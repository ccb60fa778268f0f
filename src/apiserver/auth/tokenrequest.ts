/**
 * The serviceaccounts/token subresource (TokenRequest): `kubectl create
 * token`, the kubelet's projected service-account volumes. Mounted by the
 * REST core with registerSubresource("serviceaccounts", "token", ...), which
 * has already authorized `create` on it.
 */
import type { KubeObject, Status } from "../../api/types.ts";
import type { ApiRequest, ApiResponse } from "../request.ts";
import type { KeyInput } from "./jwt.ts";
import type { ObjectLookup } from "./lookup.ts";
import { decodeReviewProtobuf } from "./protobuf.ts";
import { DEFAULT_AUDIENCES, issueServiceAccountToken } from "./serviceaccount.ts";
import type { BoundObjectRef } from "./serviceaccount.ts";

export interface TokenRequestOptions {
  /** the service-account signing key (private) */
  key: KeyInput;
  /** reads pods, secrets and nodes a token is bound to */
  lookup: ObjectLookup;
  /** default audiences when the request names none (default https://kubernetes.default.svc.cluster.local, k3s) */
  audiences?: string[];
  issuer?: string;
  /** longest lifetime granted; longer asks are shortened (default 48 h) */
  maxExpirationSeconds?: number;
  /** decodes protobuf bodies; absent = the built-in TokenRequest decoder */
  decodeProtobuf?(body: Buffer): KubeObject;
}

/** What the hook needs from the REST core's SubresourceContext. */
export interface TokenRequestContext {
  /** the ServiceAccount (404 Status error when absent) */
  getParent(): Promise<KubeObject>;
}

interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
}

const MIN_EXPIRATION = 600;

function reply(status: number, body: unknown): ApiResponse {
  return { status, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(body)) };
}

function failure(code: number, reason: string, message: string, field?: string): ApiResponse {
  const status: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  if (field) status.details = { group: "authentication.k8s.io", kind: "TokenRequest", causes: [{ reason: "FieldValueInvalid", message, field }] };
  return reply(code, status);
}

function decode(req: ApiRequest, opts: TokenRequestOptions): KubeObject {
  const body = req.body ?? Buffer.alloc(0);
  const type = (req.headers["content-type"] ?? "application/json").split(";")[0].trim().toLowerCase();
  if (type === "application/vnd.kubernetes.protobuf") return opts.decodeProtobuf ? opts.decodeProtobuf(body) : decodeReviewProtobuf("TokenRequest", body);
  if (body.length === 0) return { metadata: {} };
  const parsed = JSON.parse(body.toString("utf8")) as KubeObject;
  if (parsed === null || typeof parsed !== "object") throw new Error("the body must be a JSON object");
  return parsed;
}

interface Bound {
  boundObject?: BoundObjectRef;
  node?: { name: string; uid: string };
}

/** Checks the object a token is to be bound to; a response when the request must fail. */
async function resolveBound(ref: TokenRequestSpec["boundObjectRef"], where: { lookup: ObjectLookup; namespace: string }): Promise<Bound | { response: ApiResponse }> {
  if (!ref) return {};
  const kind = ref.kind ?? "";
  if (kind !== "Pod" && kind !== "Secret" && kind !== "Node") {
    return { response: failure(422, "Invalid", `cannot bind token to object of kind "${kind}": only Pod, Secret and Node are supported`, "spec.boundObjectRef.kind") };
  }
  const resource = kind === "Pod" ? "pods" : kind === "Secret" ? "secrets" : "nodes";
  const obj = await where.lookup.getObject(resource, kind === "Node" ? "" : where.namespace, ref.name ?? "");
  if (!obj) return { response: failure(404, "NotFound", `${resource} "${ref.name}" not found`) };
  if (ref.uid && ref.uid !== obj.metadata.uid) {
    const message = `the UID in the bound object reference (${ref.uid}) does not match the UID in record (${obj.metadata.uid}); the object might have been deleted and then recreated`;
    return { response: failure(409, "Conflict", message) };
  }
  const out: Bound = { boundObject: { kind, name: obj.metadata.name ?? "", uid: obj.metadata.uid ?? "" } };
  const nodeName = kind === "Pod" ? (obj.spec as { nodeName?: string } | undefined)?.nodeName : undefined;
  if (nodeName) {
    const n = await where.lookup.getObject("nodes", "", nodeName);
    if (n?.metadata.uid) out.node = { name: nodeName, uid: n.metadata.uid };
  }
  return out;
}

/** Builds the serviceaccounts/token hook. */
export function tokenRequestHandler(opts: TokenRequestOptions): (req: ApiRequest, ctx: TokenRequestContext) => Promise<ApiResponse> {
  const maxExpiration = opts.maxExpirationSeconds ?? 48 * 3600;
  return async (req, ctx) => {
    if (req.method !== "POST") return failure(405, "MethodNotAllowed", `the server does not allow this method on the requested resource: ${req.method}`);
    let body: KubeObject;
    try {
      body = decode(req, opts);
    } catch (err) {
      return failure(400, "BadRequest", `the TokenRequest body cannot be decoded: ${(err as Error).message}`);
    }
    const sa = await ctx.getParent();
    const namespace = sa.metadata.namespace ?? "";
    const spec = (body.spec ?? {}) as TokenRequestSpec;
    const expirationSeconds = spec.expirationSeconds ?? 3600;
    if (expirationSeconds < MIN_EXPIRATION) {
      return failure(422, "Invalid", `TokenRequest.authentication.k8s.io "${sa.metadata.name}" is invalid: spec.expirationSeconds: Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`, "spec.expirationSeconds");
    }
    const bound = await resolveBound(spec.boundObjectRef, { lookup: opts.lookup, namespace });
    if ("response" in bound) return bound.response;
    const { boundObject, node } = bound;
    const ref = spec.boundObjectRef;
    const audiences = spec.audiences && spec.audiences.length > 0 ? spec.audiences : (opts.audiences ?? DEFAULT_AUDIENCES);
    const issued = issueServiceAccountToken(
      {
        namespace,
        serviceAccount: sa.metadata.name ?? "",
        uid: sa.metadata.uid ?? "",
        audiences,
        expirationSeconds: Math.min(expirationSeconds, maxExpiration),
        boundObject,
        node,
        issuer: opts.issuer,
      },
      opts.key,
    );
    const out: KubeObject = {
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name: sa.metadata.name, namespace, creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") },
      spec: { audiences, expirationSeconds: Math.min(expirationSeconds, maxExpiration), boundObjectRef: ref ?? null },
      status: { token: issued.token, expirationTimestamp: issued.expirationTimestamp },
    };
    return reply(201, out);
  };
}
