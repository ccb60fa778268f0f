/** createApiServer: the transport-free API server (routing, authorization, REST verbs, discovery, health). */
import type { Backend } from "../datastore/backend.ts";
import type { ClusterSettings, KindDef, SchemaRegistry } from "../api/kind.ts";
import type { KubeObject, Status, WatchEventType } from "../api/types.ts";
import type { Authorizer, AuthzAttributes } from "./auth/types.ts";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  aggregatedVersion,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from "./discovery.ts";
import { ApiStatusError, forbidden, forbiddenPath, methodNotAllowed, pathNotFound, qualified, toStatusError } from "./errors.ts";
import { HealthChecks } from "./health.ts";
import { buildOpenApiV3, serveOpenApi, type OpenApiV3Documents } from "./openapi/mod.ts";
import { KindRegistry, kindVerbs } from "./kinds.ts";
import { encodeResponse, negotiate, type ProtobufDecoder, type ResponseShape } from "./negotiation.ts";
import type { ApiHandler, ApiRequest, ApiResponse } from "./request.ts";
import { parseRequestInfo, type ResourceRequestInfo } from "./requestinfo.ts";
import type { AdmissionHook, Call, Reply, RestContext } from "./rest/context.ts";
import { deleteCollectionHandler, deleteHandler } from "./rest/delete.ts";
import { getHandler, listHandler } from "./rest/list.ts";
import { patchHandler } from "./rest/patch.ts";
import { standardPatch } from "./rest/patchdefaults.ts";
import type { PatchFunctions } from "./rest/patchtypes.ts";
import { scaleHandler } from "./rest/scale.ts";
import { readCurrent, served } from "./rest/common.ts";
import { watchHandler, type WatchTransform } from "./rest/watch.ts";
import { createHandler, guaranteedUpdate, updateHandler } from "./rest/write.ts";
import { CacheSet } from "./storage/caches.ts";
import { LeaseManager } from "./storage/leases.ts";
import { includeObjectParam, partialMetadata, toTable } from "./table.ts";
import { decodeObject } from "./rest/common.ts";

/** What /version answers. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit?: string;
  gitTreeState?: string;
  buildDate?: string;
  goVersion?: string;
  compiler?: string;
  platform?: string;
}

export interface ApiServerOptions {
  backend: Backend;
  kinds: KindDef[];
  schemas: SchemaRegistry;
  cluster: ClusterSettings;
  /** absent = allow everything */
  authorizer?: Authorizer;
  version: VersionInfo;
  /** replaces patch implementations (default: src/apiserver/patch) */
  patch?: Partial<PatchFunctions>;
  /** decodes application/vnd.kubernetes.protobuf bodies; absent = 415 for them */
  protobuf?: ProtobufDecoder;
  /** host:port advertised in /api's serverAddressByClientCIDRs */
  serverAddress?: string;
  /** BOOKMARK interval for watches that allow them (default 60 s) */
  bookmarkIntervalMs?: number;
  /** events each resource's watch cache keeps (default 2000) */
  watchCacheCapacity?: number;
  /** seconds events live before the datastore drops them (k3s --event-ttl; default 3600) */
  eventTTLSeconds?: number;
  /** external admission (webhooks) on create/update/delete */
  admission?: AdmissionHook;
}

/** What a subresource hook sees besides the request. */
export interface SubresourceContext {
  kind: KindDef;
  info: ResourceRequestInfo;
  /** reads the parent object from the datastore (404 Status error when absent) */
  getParent(): Promise<KubeObject>;
  /** the API server's own handler, for writes the hook makes (bindings, evictions) */
  handler: ApiHandler;
}

/** Serves one subresource (log, exec, binding, eviction, token, ...). */
export type SubresourceHandler = (req: ApiRequest, ctx: SubresourceContext) => Promise<ApiResponse>;

/** Serves a non-resource path prefix (openapi, supervisor, metrics, ...). */
export type PathHandler = (req: ApiRequest) => Promise<ApiResponse>;

export interface ApiServer {
  handler: ApiHandler;
  /** served kinds; CRDs register/unregister here at run time */
  kinds: KindRegistry;
  health: HealthChecks;
  /** hooks `<resource>[.<group>]/<subresource>`, e.g. ("pods", "log"), ("deployments.apps", "rollback") */
  registerSubresource(resource: string, subresource: string, handler: SubresourceHandler): void;
  /** serves every path starting with `prefix` (e.g. "/openapi/") before resource routing */
  registerPath(prefix: string, handler: PathHandler): void;
  close(): Promise<void>;
}

/** Creates the API server core over a started Backend. */
export async function createApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const kinds = new KindRegistry(opts.kinds);
  const caches = new CacheSet(opts.backend, { capacity: opts.watchCacheCapacity });
  const ctx: RestContext = {
    backend: opts.backend,
    kinds,
    schemas: opts.schemas,
    cluster: opts.cluster,
    caches,
    patch: { ...standardPatch, ...(opts.patch ?? {}) },
    protobuf: opts.protobuf,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000,
    leases: new LeaseManager(opts.backend),
    eventTTLSeconds: opts.eventTTLSeconds ?? 3600,
    admission: opts.admission,
  };
  const health = new HealthChecks();
  health.register("etcd", async () => {
    await opts.backend.currentRevision();
  });
  const hooks = new Map<string, SubresourceHandler>();
  const paths: { prefix: string; handler: PathHandler }[] = [];
  // caches start eagerly so that revisions handed out by lists stay watchable
  const warm = (k: KindDef): void => void caches.forKind(k).ready().catch(() => undefined);
  for (const k of kinds.all()) warm(k);
  let openapi: OpenApiV3Documents | undefined;
  const unsubscribe = kinds.onChange((ev, k) => {
    openapi = undefined;
    if (ev === "register") warm(k);
  });
  await Promise.all(kinds.all().map((k) => caches.forKind(k).ready()));

  const handler: ApiHandler = async (req) => {
    try {
      return await route(req);
    } catch (err) {
      return statusResponse(req, toStatusError(err));
    }
  };

  async function route(req: ApiRequest): Promise<ApiResponse> {
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, "") : req.path;
    if (path === "/version") {
      await authorizeNonResource(req, path);
      return encodeResponse(req, { value: opts.version, status: 200 });
    }
    const h = await health.serve(path, req.query);
    if (h) return h;
    for (const p of paths) if (path.startsWith(p.prefix) || path === p.prefix.replace(/\/$/, "")) return p.handler(req);
    if (path === "/openapi" || path.startsWith("/openapi/")) {
      await authorizeNonResource(req, path);
      openapi ??= buildOpenApiV3(kinds.all(), opts.schemas);
      const res = serveOpenApi(openapi, { ...req, path });
      if (res) return res;
      throw pathNotFound();
    }
    const info = parseRequestInfo({ ...req, path });
    if (info.kind === "nonresource") return discovery(req, path);
    return resource(req, info);
  }

  async function authorizeNonResource(req: ApiRequest, path: string): Promise<void> {
    if (!opts.authorizer) return;
    const d = await opts.authorizer.authorize({ user: req.user, verb: req.method.toLowerCase(), resourceRequest: false, path });
    if (!d.allowed) {
      throw forbiddenPath(`User ${JSON.stringify(req.user.username)} cannot ${req.method.toLowerCase()} path ${JSON.stringify(path)}${d.reason ? `: ${d.reason}` : ""}`);
    }
  }

  async function discovery(req: ApiRequest, path: string): Promise<ApiResponse> {
    if (req.method !== "GET") throw methodNotAllowed(req.method);
    await authorizeNonResource(req, path);
    const parts = path.split("/").filter((p) => p);
    const agg = aggregatedVersion(req.headers.accept);
    if ((path === "/api" || path === "/apis") && agg) {
      return encodeResponse(req, { value: aggregatedDiscovery(kinds, { version: agg, core: path === "/api" }), status: 200, contentType: aggregatedContentType(agg) });
    }
    let doc: object | undefined;
    if (path === "/api") doc = apiVersions(opts.serverAddress ?? req.headers.host ?? "127.0.0.1:6443");
    else if (path === "/apis") doc = apiGroupList(kinds);
    else if (parts[0] === "api" && parts.length === 2) doc = apiResourceList(kinds, "", parts[1]);
    else if (parts[0] === "apis" && parts.length === 2) doc = apiGroup(kinds, parts[1]);
    else if (parts[0] === "apis" && parts.length === 3) doc = apiResourceList(kinds, parts[1], parts[2]);
    if (!doc) throw pathNotFound();
    return encodeResponse(req, { value: doc, status: 200 });
  }

  async function authorize(req: ApiRequest, info: ResourceRequestInfo): Promise<void> {
    if (!opts.authorizer) return;
    const attrs: AuthzAttributes = {
      user: req.user,
      verb: info.verb,
      resourceRequest: true,
      apiGroup: info.group,
      apiVersion: info.version,
      resource: info.resource,
      subresource: info.subresource || undefined,
      namespace: info.namespace || undefined,
      name: info.name || undefined,
    };
    const d = await opts.authorizer.authorize(attrs);
    if (d.allowed) return;
    const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    const scope = info.namespace ? ` in the namespace ${JSON.stringify(info.namespace)}` : " at the cluster scope";
    const why = `User ${JSON.stringify(req.user.username)} cannot ${info.verb} resource ${JSON.stringify(res)} in API group ${JSON.stringify(info.group)}${scope}${d.reason ? `: ${d.reason}` : ""}`;
    throw forbidden({ group: info.group, resource: info.resource }, info.name, why);
  }

  async function resource(req: ApiRequest, info: ResourceRequestInfo): Promise<ApiResponse> {
    const kind = kinds.lookup(info.group, info.version, info.resource);
    if (!kind) throw pathNotFound();
    if (!kind.namespaced && info.namespace && info.resource !== "namespaces") throw pathNotFound();
    // namespaced kinds are served across namespaces only as collections to list or watch
    if (kind.namespaced && !info.namespace) {
      if (info.name) throw pathNotFound();
      if (info.verb !== "list" && info.verb !== "watch") throw methodNotAllowed(req.method);
    }
    await authorize(req, info);
    const call: Call = { req, info, kind, ctx };
    if (info.subresource) return encodeReply(call, await subresource(call));
    if (!kindVerbs(kind).includes(info.verb)) throw methodNotAllowed(req.method);
    if (info.verb === "watch") {
      const shape = negotiate(req.headers.accept);
      const reply = await watchHandler(call, watchTransform(call, shape));
      return reply.raw as ApiResponse;
    }
    switch (info.verb) {
      case "get":
        return encodeReply(call, await getHandler(call));
      case "list":
        return encodeReply(call, await listHandler(call));
      case "create":
        if (info.name) throw methodNotAllowed(req.method);
        return encodeReply(call, await createHandler(call));
      case "update":
        return encodeReply(call, await updateHandler(call));
      case "patch":
        return encodeReply(call, await patchHandler(call));
      case "delete":
        return encodeReply(call, await deleteHandler(call));
      case "deletecollection":
        return encodeReply(call, await deleteCollectionHandler(call));
      default:
        throw methodNotAllowed(req.method);
    }
  }

  async function subresource(call: Call): Promise<Reply> {
    const { info, kind, req } = call;
    const qualifiedName = qualified({ group: kind.group, resource: kind.resource });
    const hook = hooks.get(`${qualifiedName}/${info.subresource}`);
    if (hook) {
      const raw = await hook(req, { kind, info, handler, getParent: async () => (await readCurrent(call, info.name)).obj });
      return { status: raw.status, object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: raw.status }, raw };
    }
    // a CSR's /approval is written like /status (kubectl certificate approve PUTs it)
    const approval = info.subresource === "approval" && (kind.extraSubresources ?? []).includes("approval");
    if ((info.subresource === "status" && kind.statusSubresource) || approval) {
      if (req.method === "GET") return getHandler(call);
      if (req.method === "PUT") return updateHandler(call);
      if (req.method === "PATCH") return patchHandler(call);
      throw methodNotAllowed(req.method);
    }
    if (info.subresource === "scale" && kind.scale) {
      if (req.method === "GET" || req.method === "PUT" || req.method === "PATCH") return scaleHandler(call);
      throw methodNotAllowed(req.method);
    }
    if (info.subresource === "finalize" && kind.group === "" && kind.resource === "namespaces" && req.method === "PUT") {
      const body = decodeObject(call);
      const finalizers = (body.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
      return guaranteedUpdate(call, {
        name: info.name,
        subresource: "finalize",
        warnings: [],
        mutate: async (cur) => {
          if (!cur) throw pathNotFound();
          cur.spec = { ...((cur.spec as object | undefined) ?? {}), finalizers };
          if (finalizers.length === 0) delete (cur.spec as { finalizers?: string[] }).finalizers;
          delete cur.metadata.resourceVersion;
          return { object: cur };
        },
      });
    }
    throw pathNotFound();
  }

  return {
    handler,
    kinds,
    health,
    registerSubresource(resourceName, sub, h) {
      hooks.set(`${resourceName}/${sub}`, h);
    },
    registerPath(prefix, h) {
      paths.push({ prefix, handler: h });
      paths.sort((a, b) => b.prefix.length - a.prefix.length);
    },
    async close() {
      unsubscribe();
      caches.close();
    },
  };
}

/** Table/metadata conversion for watch events. */
function watchTransform(call: Call, shape: ResponseShape): WatchTransform | undefined {
  if (shape.as === "object") return undefined;
  return (type: WatchEventType, obj: KubeObject | Status) => {
    if (type === "ERROR" || type === "BOOKMARK" || obj.kind === "Status") return obj;
    const o = obj as KubeObject;
    if (shape.as === "Table") {
      return toTable(call.kind, { objects: [o], listMeta: { resourceVersion: o.metadata.resourceVersion }, include: includeObjectParam(call.req.query), version: shape.version });
    }
    return partialMetadata(o, shape.version);
  };
}

/** Turns a handler's Reply into a response in the negotiated shape. */
async function encodeReply(call: Call, reply: Reply): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (reply.warnings?.length) headers.warning = reply.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ");
  if (reply.raw) return { ...reply.raw, headers: { ...headers, ...reply.raw.headers } };
  const shape = negotiate(call.req.headers.accept);
  const obj = reply.object as KubeObject & { items?: KubeObject[] };
  const isOwnKind = obj.kind === call.kind.kind || obj.kind === call.kind.listKind;
  if (shape.as === "object" || !isOwnKind || call.info.subresource === "scale") {
    return encodeResponse(call.req, { value: reply.object, status: reply.status, headers, format: shape.as === "object" ? shape.format : "json" });
  }
  const items = Array.isArray(obj.items) ? obj.items : [obj];
  const listMeta = Array.isArray(obj.items) ? obj.metadata : { resourceVersion: obj.metadata.resourceVersion };
  let out: unknown;
  if (shape.as === "Table") {
    out = toTable(call.kind, { objects: items, listMeta, include: includeObjectParam(call.req.query), version: shape.version });
  } else if (shape.as === "PartialObjectMetadataList" || Array.isArray(obj.items)) {
    out = { kind: "PartialObjectMetadataList", apiVersion: `meta.k8s.io/${shape.version}`, metadata: listMeta, items: items.map((i) => partialMetadata(i, shape.version)) };
  } else out = partialMetadata(obj, shape.version);
  return encodeResponse(call.req, { value: out, status: reply.status, headers, contentType: shape.contentType });
}

/** A Status error as a response. */
function statusResponse(req: ApiRequest, err: ApiStatusError): Promise<ApiResponse> {
  return encodeResponse(req, { value: err.status, status: err.status.code, headers: err.headers });
}
