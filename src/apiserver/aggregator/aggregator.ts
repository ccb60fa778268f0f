/**
 * API aggregation (kube-aggregator's role): APIService objects naming a
 * Service make their group/version served by that Service. A controller
 * checks each backend's discovery document and reports Available; a
 * handler in front of the API server proxies /apis/<group>/<version>/...
 * there (after authorization) and adds the groups to discovery.
 */
import { gunzipSync } from "node:zlib";
import type { Client, ResourceRef } from "../../client/client.ts";
import { Informer } from "../../client/informer.ts";
import { runController, type ControllerLoop } from "../../client/runner.ts";
import { WorkQueue } from "../../client/workqueue.ts";
import { caBundlePem, readBody, resolveServiceEndpoint, tlsRequest, type ServiceEndpoint, type ServiceResolver } from "../admission/mod.ts";
import type { Authorizer } from "../auth/types.ts";
import { forbidden, forbiddenPath, toStatusError } from "../errors.ts";
import { encodeResponse } from "../negotiation.ts";
import type { ApiHandler, ApiRequest, ApiResponse } from "../request.ts";
import { parseRequestInfo } from "../requestinfo.ts";
import { apiGroupDoc, groupsOf, mergeAggregated, mergeGroupList, type RemoteGroupVersion } from "./discovery.ts";
import { proxyRequest, remoteUserHeaders, serviceUnavailable } from "./proxy.ts";
import type { APIResourceList, APIService, APIServiceCondition } from "./types.ts";

const APISERVICES: ResourceRef = { group: "apiregistration.k8s.io", version: "v1", resource: "apiservices", namespaced: false };
/** Who the availability check is made as (upstream's aggregator identity). */
const AGGREGATOR_USER = { username: "system:kube-aggregator", groups: ["system:masters"] };

export interface AggregatorOptions {
  /** a superuser client (in-process in the server) */
  client: Client;
  /** the front-proxy client certificate (ServerPKI.clientAuthProxy) presented to backends */
  proxyClientCert: { cert: string; key: string };
  /** authorizes proxied requests as the API server would; absent = allow */
  authorizer?: Authorizer;
  /** resolves an APIService's Service; default: a ready endpoint from EndpointSlices/Endpoints */
  resolveService?: ServiceResolver;
  /** how often backends are checked again (default 30 s) */
  recheckMs?: number;
}

/** A running aggregator. */
export interface Aggregator {
  /** the API server's handler with aggregated group/versions in front */
  wrap(inner: ApiHandler): ApiHandler;
  /** starts the APIService informer and availability checks */
  start(): void;
  /** resolves once APIServices are listed */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

interface Backend {
  service: APIService;
  resources?: APIResourceList;
}

function condition(available: boolean, reason: string, message: string): APIServiceCondition {
  return { type: "Available", status: available ? "True" : "False", reason, message };
}

function json(status: number, value: unknown, contentType = "application/json"): ApiResponse {
  return { status, headers: { "content-type": contentType }, body: Buffer.from(JSON.stringify(value)) };
}

async function bodyBuffer(res: ApiResponse): Promise<Buffer> {
  if (res.body === undefined) return Buffer.alloc(0);
  let buf: Buffer;
  if (Buffer.isBuffer(res.body)) buf = res.body;
  else {
    const parts: Buffer[] = [];
    for await (const c of res.body) parts.push(c);
    buf = Buffer.concat(parts);
  }
  return res.headers["content-encoding"] === "gzip" ? gunzipSync(buf) : buf;
}

/** Creates the aggregator. */
export function createAggregator(opts: AggregatorOptions): Aggregator {
  const { client } = opts;
  const resolve: ServiceResolver = opts.resolveService ?? ((ref) => resolveServiceEndpoint(client, ref));
  const informer = new Informer<APIService>(client, APISERVICES);
  const queue = new WorkQueue();
  const backends = new Map<string, Backend>();
  const recheckMs = opts.recheckMs ?? 30_000;
  informer.addEventHandler({
    add: (o) => queue.add(o.metadata.name ?? ""),
    update: (_a, o) => queue.add(o.metadata.name ?? ""),
    delete: (o) => queue.add(o.metadata.name ?? ""),
  });

  function endpointFor(s: APIService): Promise<ServiceEndpoint> {
    const svc = s.spec.service!;
    return resolve({ namespace: svc.namespace, name: svc.name, port: svc.port ?? 443 });
  }

  /** Fetches the backend's APIResourceList; the condition says how it went. */
  async function check(s: APIService): Promise<{ cond: APIServiceCondition; resources?: APIResourceList }> {
    const svc = s.spec.service!;
    let ep: ServiceEndpoint;
    try {
      ep = await endpointFor(s);
    } catch (err) {
      const msg = (err as Error).message;
      if (msg.includes("not found")) return { cond: condition(false, "ServiceNotFound", `service/${svc.name} in ${JSON.stringify(svc.namespace)} is not present`) };
      return { cond: condition(false, "MissingEndpoints", `endpoints for service/${svc.name} in ${JSON.stringify(svc.namespace)} have no addresses: ${msg}`) };
    }
    const path = `/apis/${s.spec.group}/${s.spec.version}`;
    const where = `https://${ep.host}:${ep.port}${path}`;
    try {
      const res = await tlsRequest({
        method: "GET",
        url: new URL(`https://${ep.serverName}:${svc.port ?? 443}${path}`),
        connect: { host: ep.host, port: ep.port },
        ca: caBundlePem(s.spec.caBundle),
        insecureSkipVerify: s.spec.insecureSkipTLSVerify,
        cert: opts.proxyClientCert.cert,
        key: opts.proxyClientCert.key,
        headers: { accept: "application/json", ...remoteUserHeaders(AGGREGATOR_USER) },
        deadlineMs: 5000,
      });
      const body = await readBody(res);
      if (res.statusCode !== 200) return { cond: condition(false, "FailedDiscoveryCheck", `failing or missing response from ${where}: bad status from ${where}: ${res.statusCode ?? 0}`) };
      const list = JSON.parse(body.toString("utf8")) as APIResourceList;
      if (!Array.isArray(list.resources)) throw new Error("the response is not an APIResourceList");
      return { cond: condition(true, "Passed", "all checks passed"), resources: list };
    } catch (err) {
      return { cond: condition(false, "FailedDiscoveryCheck", `failing or missing response from ${where}: ${(err as Error).message}`) };
    }
  }

  async function writeCondition(s: APIService, cond: APIServiceCondition): Promise<void> {
    const conds = s.status?.conditions ?? [];
    const cur = conds.find((c) => c.type === "Available");
    if (cur && cur.status === cond.status && cur.reason === cond.reason && cur.message === cond.message) return;
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const next = { ...cond, lastTransitionTime: cur && cur.status === cond.status ? cur.lastTransitionTime : now };
    await client.update(APISERVICES, undefined, { ...s, status: { ...s.status, conditions: [...conds.filter((c) => c.type !== "Available"), next] } }, { subresource: "status" });
  }

  async function sync(name: string): Promise<void> {
    const s = informer.store.get(name);
    if (!s) {
      backends.delete(name);
      return;
    }
    if (!s.spec.service) {
      backends.delete(name);
      await writeCondition(s, condition(true, "Local", "Local APIServices are always available"));
      return;
    }
    const prev = backends.get(name);
    backends.set(name, { service: s, resources: prev?.resources });
    const { cond, resources } = await check(s);
    backends.set(name, { service: s, resources });
    await writeCondition(s, cond);
    queue.addAfter(name, recheckMs);
  }

  function remotes(): RemoteGroupVersion[] {
    return [...backends.values()]
      .filter((b) => b.service.spec.group)
      .map((b) => ({
        group: b.service.spec.group!,
        version: b.service.spec.version,
        groupPriorityMinimum: b.service.spec.groupPriorityMinimum,
        versionPriority: b.service.spec.versionPriority,
        resources: b.resources,
      }));
  }

  function backendFor(group: string, version: string): Backend | undefined {
    for (const b of backends.values()) if (b.service.spec.group === group && b.service.spec.version === version) return b;
    return undefined;
  }

  async function authorize(req: ApiRequest): Promise<void> {
    if (!opts.authorizer) return;
    const info = parseRequestInfo(req);
    if (info.kind === "nonresource") {
      const d = await opts.authorizer.authorize({ user: req.user, verb: req.method.toLowerCase(), resourceRequest: false, path: req.path });
      if (!d.allowed) throw forbiddenPath(`User ${JSON.stringify(req.user.username)} cannot ${req.method.toLowerCase()} path ${JSON.stringify(req.path)}`);
      return;
    }
    const d = await opts.authorizer.authorize({
      user: req.user,
      verb: info.verb,
      resourceRequest: true,
      apiGroup: info.group,
      apiVersion: info.version,
      resource: info.resource,
      subresource: info.subresource || undefined,
      namespace: info.namespace || undefined,
      name: info.name || undefined,
    });
    if (d.allowed) return;
    const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    const scope = info.namespace ? ` in the namespace ${JSON.stringify(info.namespace)}` : " at the cluster scope";
    throw forbidden({ group: info.group, resource: info.resource }, info.name, `User ${JSON.stringify(req.user.username)} cannot ${info.verb} resource ${JSON.stringify(res)} in API group ${JSON.stringify(info.group)}${scope}`);
  }

  async function mergedDiscovery(inner: ApiHandler, req: ApiRequest): Promise<ApiResponse> {
    const headers = { ...req.headers };
    delete headers["accept-encoding"];
    const res = await inner({ ...req, headers });
    const type = res.headers["content-type"] ?? "";
    if (res.status !== 200 || !type.includes("json") || remotes().length === 0) return res;
    const doc = JSON.parse((await bodyBuffer(res)).toString("utf8")) as { kind?: string };
    if (doc.kind === "APIGroupDiscoveryList") return json(200, mergeAggregated(doc as Parameters<typeof mergeAggregated>[0], remotes()), type);
    if (doc.kind === "APIGroupList") return json(200, mergeGroupList(doc as Parameters<typeof mergeGroupList>[0], remotes()), type);
    return json(200, doc, type);
  }

  async function route(inner: ApiHandler, req: ApiRequest): Promise<ApiResponse> {
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, "") : req.path;
    const parts = path.split("/").filter((p) => p);
    if (parts[0] !== "apis" || backends.size === 0) return inner(req);
    if (parts.length === 1 && req.method === "GET") return mergedDiscovery(inner, req);
    if (parts.length === 2 && req.method === "GET") {
      const g = groupsOf(remotes()).find((x) => x.group === parts[1]);
      if (!g) return inner(req);
      await authorize(req);
      return json(200, apiGroupDoc(g.group, g.versions));
    }
    const b = backendFor(parts[1], parts[2]);
    if (!b?.service.spec.service) return inner(req);
    await authorize(req);
    let ep: ServiceEndpoint;
    try {
      ep = await endpointFor(b.service);
    } catch (err) {
      throw serviceUnavailable((err as Error).message);
    }
    return proxyRequest(req, {
      endpoint: ep,
      port: b.service.spec.service.port ?? 443,
      ca: caBundlePem(b.service.spec.caBundle),
      insecureSkipTLSVerify: b.service.spec.insecureSkipTLSVerify,
      identity: opts.proxyClientCert,
    });
  }

  let loop: ControllerLoop | undefined;
  return {
    wrap(inner) {
      return async (req) => {
        try {
          return await route(inner, req);
        } catch (err) {
          const e = toStatusError(err);
          return encodeResponse(req, { value: e.status, status: e.status.code, headers: e.headers });
        }
      };
    },
    start() {
      loop ??= runController({ name: "apiservice", queue, sync, workers: 2 });
      informer.start();
    },
    async ready() {
      await informer.waitForSync();
    },
    async stop() {
      informer.stop();
      await loop?.stop();
    },
  };
}
