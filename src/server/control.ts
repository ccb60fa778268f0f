/**
 * The control plane inside `k3s server`: kine (and its etcd endpoint), the
 * API server core with authentication and RBAC, and its HTTPS listeners on
 * the API port and the supervisor port.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ServiceAllocators, builtinKinds, builtinSchemas, decodeProtobuf, startServiceAllocationRepair, storedServiceVia, withServiceAllocation } from "../api/mod.ts";
import type { ClusterSettings } from "../api/kind.ts";
import { createApiServer, serveHttps, type ApiHandler, type ApiServer } from "../apiserver/mod.ts";
import {
  createAuthenticator,
  createRbacAuthorizer,
  createRbacInformers,
  parsePasswdFile,
  reviewPaths,
  startClusterRoleAggregation,
  tokenRequestHandler,
  withEscalationChecks,
  type ObjectLookup, type RbacAuthorizer, type RequestAuthenticator } from "../apiserver/auth/mod.ts";
import { buildOpenApiV3, serveOpenApi, type OpenApiV3Documents } from "../apiserver/openapi/mod.ts";
import { openApiV2Handler } from "../apiserver/openapi/v2/mod.ts";
import { startCrdController } from "../apiserver/apiextensions/mod.ts";
import { createWebhookAdmission } from "../apiserver/admission/mod.ts";
import { createBuiltinAdmission, type BuiltinPluginName } from "../apiserver/admission/plugins/mod.ts";
import { componentArg } from "./componentargs.ts";
import { createAggregator, keepAuthenticationConfigPublished, startAutoRegistration } from "../apiserver/aggregator/mod.ts";
import { ApiError, type Client } from "../client/client.ts";
import { inProcessClient } from "../client/mod.ts";
import { createBackend, isExternalEtcd, redact, startEtcdServer, type EtcdServer, type KineBackend } from "../datastore/mod.ts";
import { log } from "../util/log.ts";
import type { ServerConfig } from "./config.ts";
import { APISERVER_USER } from "./identities.ts";
import type { ServerPKI } from "./pki/mod.ts";
import { mountPodStreams } from "./podstreams.ts";
import { createBindingHandler } from "../scheduler/mod.ts";
import { mountPodEviction } from "./podeviction.ts";
import { supervisorHandler } from "../supervisor/mod.ts";
import { advertisedHostPort } from "./advertise.ts";
import type { ServerTokens } from "./token/mod.ts";
import { KUBERNETES_VERSION } from "../cli/version.ts";

export interface ControlPlane {
  backend: KineBackend;
  /** kine's etcd endpoint (kine.sock); absent with an external etcd, as k3s serves none then */
  etcd?: EtcdServer;
  api: ApiServer;
  authenticator: RequestAuthenticator;
  authorizer: RbacAuthorizer;
  /** a superuser client over the in-process transport */
  admin: Client;
  /** the HTTPS listeners (API port, supervisor port) */
  close(): Promise<void>;
  /** where the listeners are bound */
  ports: { api: number; supervisor: number };
}

export interface ControlPlaneOptions {
  config: ServerConfig;
  pki: ServerPKI;
  tokens: ServerTokens;
}

/** The cluster settings kinds' strategies need. */
export function clusterSettings(config: ServerConfig): ClusterSettings {
  return {
    serviceCIDR: config.serviceCIDR,
    clusterCIDR: config.clusterCIDR,
    serviceNodePortRange: config.serviceNodePortRange,
    clusterDNS: config.clusterDNS,
    clusterDomain: config.clusterDomain,
  };
}

/** Starts kine, the API server and its listeners. */
export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const { config, pki, tokens } = opts;
  const backend = await openDatastore(config);
  let etcd: EtcdServer | undefined;
  try {
    etcd = isExternalEtcd(config.datastoreEndpoint) ? undefined : await startEtcdServer(backend, { socketPath: join(config.dataDir, "server", "kine.sock"), tcpAddress: config.etcdListenAddress });
  } catch (err) {
    await backend.close().catch(() => undefined);
    throw err;
  }
  if (etcd && config.etcdListenAddress) log.info(`etcd v3 API listening on ${config.etcdListenAddress}`);
  try {
    return await startApi(opts, backend, etcd);
  } catch (err) {
    await etcd?.close().catch(() => undefined);
    await backend.close().catch(() => undefined);
    throw err;
  }
}

/** kine over SQLite/PostgreSQL/MySQL, or the external etcd cluster itself (then nothing serves kine.sock) */
async function openDatastore(config: ServerConfig): Promise<KineBackend> {
  const endpoint = config.datastoreEndpoint;
  if (isExternalEtcd(endpoint)) {
    if (config.etcdListenAddress) {
      throw new Error(`--etcd-listen-address ${config.etcdListenAddress}: the datastore is the external etcd ${redact(endpoint ?? "")}; point etcd clients at it instead`);
    }
    log.info(`Using external etcd: ${redact(endpoint ?? "")}`);
  } else {
    log.info(`Starting kine: ${endpoint ? redact(endpoint) : "sqlite in " + join(config.dataDir, "server/db/state.db")}`);
    // k3s also hands these to PostgreSQL and MySQL; here only the etcd client reads them
    if (config.datastoreCAFile || config.datastoreCertFile || config.datastoreKeyFile) {
      log.warn("--datastore-cafile/--datastore-certfile/--datastore-keyfile are only used with an https etcd endpoint in k3s-ts; ignored for this datastore");
    }
  }
  return createBackend({
    dataDir: config.dataDir,
    endpoint,
    tls: { caFile: config.datastoreCAFile, certFile: config.datastoreCertFile, keyFile: config.datastoreKeyFile },
    log: (msg) => log.info(msg),
  });
}

async function startApi(opts: ControlPlaneOptions, backend: KineBackend, etcd: EtcdServer | undefined): Promise<ControlPlane> {
  const { config, pki, tokens } = opts;

  // the API server's own reads (RBAC, token lookups) go through its handler as a superuser
  let api: ApiServer | undefined;
  // the aggregator's handler in front of the core, once started (aggregated APIs for in-process clients too)
  let front: ApiHandler | undefined;
  const viaApi: ApiHandler = (req) => {
    if (!api) throw new Error("api server not started");
    return (front ?? api.handler)(req);
  };
  const self = inProcessClient(viaApi, APISERVER_USER);
  const rbac = createRbacInformers(self);
  const authorizer = createRbacAuthorizer({ lister: rbac.lister, maxAgeMs: 60_000 });
  const schemas = builtinSchemas();
  const settings = clusterSettings(config);
  // Service IPs and ports are allocated in the datastore, so servers sharing it never hand out one twice
  const serviceAllocation = new ServiceAllocators(settings, { store: backend, storedService: storedServiceVia(self) });
  // RBAC writes are checked for privilege escalation, as upstream's RBAC storage does
  const kinds = withServiceAllocation(withEscalationChecks(builtinKinds(), authorizer), serviceAllocation);
  // webhook admission reads its configurations through the API server itself (started below)
  const webhooks = createWebhookAdmission({ client: self });
  // upstream 1.32's default plugins plus NodeRestriction in kube-apiserver's order, the webhooks, then ResourceQuota (see builtin.ts)
  const admission = createBuiltinAdmission({
    client: self,
    webhooks,
    disable: (componentArg(config.kubeAPIServerArgs, "disable-admission-plugins") ?? "").split(",").filter(Boolean) as BuiltinPluginName[],
  });
  api = await createApiServer({
    admission,
    backend,
    kinds,
    schemas,
    cluster: settings,
    authorizer,
    version: versionInfo(),
    protobuf: (_kind, body) => decodeProtobuf(schemas, body),
    serverAddress: advertisedHostPort(config),
  });
  // the stored ranges are built (or reconciled) from the stored Services before any write can allocate
  const stopAllocationRepair = await startServiceAllocationRepair(self, {
    settings,
    allocators: serviceAllocation,
    onError: (err) => log.warn(`service allocation repair: ${(err as Error).message}`),
    onRepair: (r) => {
      if (Object.keys(r.remarked).length || Object.keys(r.freed).length) log.info(`service allocation repair: re-marked ${JSON.stringify(r.remarked)}, freed leaked ${JSON.stringify(r.freed)}`);
      for (const p of r.problems) log.warn(`service allocation repair: ${p}`);
    },
  });
  const lookup: ObjectLookup = {
    getObject: async (resource, namespace, name) => {
      try {
        return await self.get({ group: "", version: "v1", resource, namespaced: resource !== "nodes" }, resource === "nodes" ? undefined : namespace, name);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return undefined;
        throw err;
      }
    },
  };
  const authenticator = createAuthenticator({
    clientCA: pki.clientCA.certPEM,
    serviceAccountKeys: pki.serviceAccount.verifyPublicKeyPEMs,
    lookup,
    staticTokens: parsePasswdFile(readFileSync(tokens.passwdPath, "utf8")),
  });
  api.registerSubresource(
    "serviceaccounts",
    "token",
    tokenRequestHandler({ key: pki.serviceAccount.keyPEM, lookup, decodeProtobuf: (body) => decodeProtobuf(schemas, body) }),
  );
  for (const r of reviewPaths({ authorizer, authenticator, decodeProtobuf: (_gvk, body) => decodeProtobuf(schemas, body) })) {
    api.registerPath(r.prefix, r.handler);
  }
  api.registerSubresource("pods", "binding", createBindingHandler(backend));
  mountPodEviction(api, { client: self, schemas });
  // rebuilt after kinds change (CRDs register and unregister kinds at run time)
  let openapi: OpenApiV3Documents | undefined;
  api.kinds.onChange(() => (openapi = undefined));
  api.registerPath("/openapi/", async (req) => serveOpenApi((openapi ??= buildOpenApiV3(api!.kinds.all(), schemas)), req) ?? { status: 404, headers: {}, body: Buffer.from("404 page not found\n") });
  // kubectl 1.27/1.28 validate and compute strategic patches from v2 (protobuf)
  api.registerPath("/openapi/v2", openApiV2Handler(() => api!.kinds.all(), schemas));

  // CRDs, admission webhooks and API aggregation (src/apiserver/{apiextensions,admission,aggregator})
  const crds = startCrdController({ client: self, kinds: api.kinds, schemas });
  webhooks.start();
  admission.start();
  const aggregator = createAggregator({ client: self, proxyClientCert: { cert: pki.clientAuthProxy.certPEM, key: pki.clientAuthProxy.keyPEM }, authorizer });
  aggregator.start();
  const localAPIServices = startAutoRegistration({ client: self, kinds: api.kinds });
  await Promise.all([crds.ready(), webhooks.ready(), admission.ready(), aggregator.ready()]);
  front = aggregator.wrap(api.handler);
  const authConfig = keepAuthenticationConfigPublished(self, { clientCA: pki.clientCA.certPEM, requestHeaderCA: pki.requestHeaderCA.certPEM, allowedNames: ["system:auth-proxy"] });

  rbac.start(authorizer);
  const aggregation = startClusterRoleAggregation(self);

  const podStreams = mountPodStreams({ api, client: self, authorizer, pki });

  const supervisor = supervisorHandler({ config, pki, tokens, client: self });
  const listen = (port: number) =>
    serveHttps({
      handler: front ?? api!.handler,
      authenticator,
      authorizer,
      key: pki.servingKubeAPIServer.keyPEM,
      cert: pki.servingKubeAPIServer.certPEM,
      clientCA: pki.clientCA.certPEM,
      host: config.bindAddress,
      port,
      rawHandler: supervisor,
      upgradeHandler: podStreams,
    });
  const apiListener = await listen(config.httpsListenPort);
  const supervisorListener = config.supervisorPort !== config.httpsListenPort ? await listen(config.supervisorPort) : undefined;
  log.info(`Running kube-apiserver on https://${config.bindAddress}:${config.httpsListenPort}`);
  return {
    backend,
    etcd,
    api,
    authenticator,
    authorizer,
    admin: self,
    ports: { api: config.httpsListenPort, supervisor: config.supervisorPort },
    async close() {
      rbac.stop();
      aggregation.stop();
      stopAllocationRepair();
      authConfig.stop();
      localAPIServices.stop();
      webhooks.stop();
      admission.stop();
      await crds.stop();
      await aggregator.stop();
      await apiListener.close();
      await supervisorListener?.close();
      await api!.close();
      await etcd?.close();
      await backend.close();
    },
  };
}

function versionInfo() {
  const [major, minor] = KUBERNETES_VERSION.replace(/^v/, "").split(".");
  return {
    major,
    minor,
    gitVersion: `${KUBERNETES_VERSION}+k3s-ts`,
    gitCommit: "",
    gitTreeState: "clean",
    buildDate: new Date(0).toISOString().replace(/\.\d+Z$/, "Z"),
    goVersion: `node${process.versions.node}`,
    compiler: "tsc",
    platform: `${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}`,
  };
}
