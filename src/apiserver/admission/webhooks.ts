/**
 * MutatingWebhookConfiguration / ValidatingWebhookConfiguration admission:
 * the API server's AdmissionHook that sends AdmissionReview v1 over HTTPS to
 * every matching webhook, applies mutating webhooks' JSON patches in order,
 * and refuses requests that a webhook denies (or that fail under
 * failurePolicy Fail).
 */
import type { KubeObject } from "../../api/types.ts";
import type { Client, ResourceRef } from "../../client/client.ts";
import { Informer } from "../../client/informer.ts";
import { badRequest, internalError } from "../errors.ts";
import { applyJsonPatch } from "../patch/mod.ts";
import type { AdmissionAttributes, AdmissionHook } from "../rest/context.ts";
import { resolveServiceEndpoint, type ServiceEndpoint, type ServiceResolver } from "./endpoints.ts";
import { exempt, ruleMatches, selectorsMatch } from "./match.ts";
import { admissionReview, denial, responseFor, type AdmissionResponse } from "./review.ts";
import { caBundlePem, readBody, tlsRequest } from "./transport.ts";
import type { Webhook, WebhookConfiguration } from "./types.ts";

const MUTATING: ResourceRef = { group: "admissionregistration.k8s.io", version: "v1", resource: "mutatingwebhookconfigurations", namespaced: false };
const VALIDATING: ResourceRef = { group: "admissionregistration.k8s.io", version: "v1", resource: "validatingwebhookconfigurations", namespaced: false };
const NAMESPACES: ResourceRef = { group: "", version: "v1", resource: "namespaces", namespaced: false };

export interface WebhookAdmissionOptions {
  /** a superuser client; it may only work once the API server runs (start() is called after) */
  client: Client;
  /** resolves a webhook's Service; default: a ready endpoint from EndpointSlices/Endpoints */
  resolveService?: ServiceResolver;
}

/** The webhook admission hook, with its informers' life cycle. */
export interface WebhookAdmission extends AdmissionHook {
  /** starts watching the webhook configurations */
  start(): void;
  /** resolves once both configuration kinds are listed */
  ready(): Promise<void>;
  stop(): void;
}

class WebhookCallError extends Error {}

function sorted(configs: WebhookConfiguration[]): { config: string; webhook: Webhook }[] {
  return [...configs]
    .sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1))
    .flatMap((c) => (c.webhooks ?? []).map((webhook) => ({ config: c.metadata.name ?? "", webhook })));
}

function webhookUrl(w: Webhook): URL {
  const cc = w.clientConfig ?? {};
  let url: URL;
  if (cc.url) url = new URL(cc.url);
  else if (cc.service) url = new URL(`https://${cc.service.name}.${cc.service.namespace}.svc:${cc.service.port ?? 443}${cc.service.path ?? "/"}`);
  else throw new WebhookCallError("webhook has no clientConfig url or service");
  url.searchParams.set("timeout", `${w.timeoutSeconds ?? 10}s`);
  return url;
}

/** Replaces obj's fields with those of next, in place (the REST core keeps its reference). */
function replaceInPlace(obj: KubeObject, next: KubeObject): void {
  for (const k of Object.keys(obj)) delete obj[k];
  Object.assign(obj, next);
}

/** Creates the webhook admission hook. */
export function createWebhookAdmission(opts: WebhookAdmissionOptions): WebhookAdmission {
  const { client } = opts;
  const resolve: ServiceResolver = opts.resolveService ?? ((ref) => resolveServiceEndpoint(client, ref));
  const mutating = new Informer<WebhookConfiguration>(client, MUTATING);
  const validating = new Informer<WebhookConfiguration>(client, VALIDATING);

  async function call(w: Webhook, a: AdmissionAttributes): Promise<AdmissionResponse> {
    const review = admissionReview(a);
    const url = webhookUrl(w);
    let connect: ServiceEndpoint | undefined;
    if (!w.clientConfig.url && w.clientConfig.service) {
      const s = w.clientConfig.service;
      connect = await resolve({ namespace: s.namespace, name: s.name, port: s.port ?? 443 }).catch((err: Error) => {
        throw new WebhookCallError(`failed to call webhook: Post ${JSON.stringify(url.href)}: ${err.message}`);
      });
    }
    const timeoutMs = (w.timeoutSeconds ?? 10) * 1000;
    let body: Buffer;
    try {
      const res = await tlsRequest({
        method: "POST",
        url,
        connect,
        ca: caBundlePem(w.clientConfig.caBundle),
        headers: { "content-type": "application/json", accept: "application/json" },
        body: Buffer.from(JSON.stringify(review)),
        deadlineMs: timeoutMs,
      });
      body = await readBody(res);
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) {
        throw new Error(`the server responded with status code ${res.statusCode ?? 0}: ${body.toString("utf8").slice(0, 200)}`);
      }
    } catch (err) {
      throw new WebhookCallError(`failed to call webhook: Post ${JSON.stringify(url.href)}: ${(err as Error).message}`);
    }
    try {
      return responseFor(JSON.parse(body.toString("utf8")), review.request.uid);
    } catch (err) {
      throw new WebhookCallError(`received invalid webhook response: ${(err as Error).message}`);
    }
  }

  /** Calls one webhook; undefined when it failed and its failure policy ignores failures. */
  async function admitOne(w: Webhook, a: AdmissionAttributes): Promise<AdmissionResponse | undefined> {
    if (a.dryRun && w.sideEffects !== "None" && w.sideEffects !== "NoneOnDryRun") {
      throw badRequest(`admission webhook ${JSON.stringify(w.name)} does not support dry run`);
    }
    try {
      const r = await call(w, a);
      if (!r.allowed) throw denial(w.name, r.status);
      return r;
    } catch (err) {
      if (!(err instanceof WebhookCallError)) throw err;
      if (w.failurePolicy === "Ignore") return undefined;
      throw internalError(new Error(`failed calling webhook ${JSON.stringify(w.name)}: ${err.message}`));
    }
  }

  /** The webhooks of these configurations that apply to the request. */
  async function matching(configs: WebhookConfiguration[], a: AdmissionAttributes): Promise<Webhook[]> {
    if (exempt(a)) return [];
    const candidates = sorted(configs).map((x) => x.webhook).filter((w) => (w.rules ?? []).some((r) => ruleMatches(r, a)));
    if (candidates.length === 0) return [];
    let namespaceLabels: Record<string, string> | undefined;
    if (a.kind.namespaced && candidates.some((w) => Object.keys(w.namespaceSelector ?? {}).length > 0)) {
      const ns = await client.get(NAMESPACES, undefined, a.namespace).catch(() => undefined);
      namespaceLabels = ns?.metadata.labels ?? {};
    }
    return candidates.filter((w) => selectorsMatch(w, { ...a, namespaceLabels }));
  }

  return {
    async mutate(a) {
      for (const w of await matching(mutating.store.list(), a)) {
        const r = await admitOne(w, a);
        if (!r?.patch || !a.object) continue;
        if (r.patchType !== "JSONPatch") throw internalError(new Error(`failed calling webhook ${JSON.stringify(w.name)}: unsupported patch type ${JSON.stringify(r.patchType)}`));
        let next: KubeObject;
        try {
          next = applyJsonPatch(structuredClone(a.object), JSON.parse(Buffer.from(r.patch, "base64").toString("utf8")));
        } catch (err) {
          throw internalError(new Error(`failed calling webhook ${JSON.stringify(w.name)}: ${(err as Error).message}`));
        }
        if (!next || typeof next !== "object" || !next.metadata) throw internalError(new Error(`webhook ${JSON.stringify(w.name)} patched the object into something that is not an object`));
        replaceInPlace(a.object, next);
        // a patched object is decoded again upstream: pruning and defaults apply to what the webhook added
        a.kind.defaults?.(a.object);
      }
    },
    async validate(a) {
      const hooks = await matching(validating.store.list(), a);
      const results = await Promise.allSettled(hooks.map((w) => admitOne(w, a)));
      for (const r of results) if (r.status === "rejected") throw r.reason;
    },
    start() {
      mutating.start();
      validating.start();
    },
    async ready() {
      await Promise.all([mutating.waitForSync(), validating.waitForSync()]);
    },
    stop() {
      mutating.stop();
      validating.stop();
    },
  };
}
