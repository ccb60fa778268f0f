/**
 * The CRD controller: serves each CustomResourceDefinition's versions by
 * registering kinds in the API server's KindRegistry, reports
 * NamesAccepted/Established, and on deletion removes the custom resources
 * before releasing the CRD (customresourcecleanup finalizer).
 */
import type { KindDef, SchemaRegistry } from "../../api/kind.ts";
import type { KubeObject } from "../../api/types.ts";
import { ApiError, type Client, type ResourceRef } from "../../client/client.ts";
import { Informer } from "../../client/informer.ts";
import { runController, type ControllerLoop } from "../../client/runner.ts";
import { WorkQueue } from "../../client/workqueue.ts";
import type { KindRegistry } from "../kinds.ts";
import { customResourceKinds, storageVersionOf } from "./kinds.ts";
import { structuralErrors } from "./schemacheck.ts";
import { CLEANUP_FINALIZER, type Crd, type CrdCondition, type CrdStatus } from "./types.ts";

const CRDS: ResourceRef = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions", namespaced: false };

export interface CrdControllerOptions {
  /** a superuser client (in-process in the server) */
  client: Client;
  /** the API server's kinds, where custom resources are registered */
  kinds: KindRegistry;
  /** the API server's schema registry (the same object it was created with): CR schemas are added to it */
  schemas: SchemaRegistry;
  /** how long to wait before checking again that a deleted CRD's resources are gone (default 500 ms) */
  cleanupRetryMs?: number;
}

/** A running CRD controller. */
export interface CrdController {
  /** resolves once existing CRDs have been read and served */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

interface Served {
  kinds: KindDef[];
  schemaNames: string[];
}

function sameCondition(a: CrdCondition | undefined, b: CrdCondition): boolean {
  return a !== undefined && a.status === b.status && a.reason === b.reason && a.message === b.message;
}

/** Merges wanted conditions into the current ones, keeping transition times of unchanged ones. */
function mergeConditions(current: CrdCondition[], wanted: CrdCondition[]): CrdCondition[] {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const out = current.filter((c) => !wanted.some((w) => w.type === c.type));
  for (const w of wanted) {
    const cur = current.find((c) => c.type === w.type);
    out.push(sameCondition(cur, w) ? cur! : { ...w, lastTransitionTime: now });
  }
  return out;
}

/** Adds the structural-schema rules to the CRD kind's own validation, so bad schemas get 422 at the API. */
function guardCrdKind(kinds: KindRegistry): void {
  const crdKind = kinds.lookup(CRDS.group, CRDS.version, CRDS.resource);
  if (!crdKind || (crdKind as { structuralGuard?: boolean }).structuralGuard) return;
  const inner = crdKind.validate;
  const guarded: KindDef & { structuralGuard: boolean } = {
    ...crdKind,
    structuralGuard: true,
    validate(obj, old, ctx) {
      const errs = inner ? inner(obj, old, ctx) : [];
      if (ctx.subresource === "status") return errs;
      const spec = (obj as Crd).spec;
      return spec && Array.isArray(spec.versions) ? [...errs, ...structuralErrors(spec)] : errs;
    },
  };
  kinds.register(guarded);
}

/** Starts the CRD controller. */
export function startCrdController(opts: CrdControllerOptions): CrdController {
  const { client, kinds, schemas } = opts;
  guardCrdKind(kinds);
  const informer = new Informer<Crd>(client, CRDS);
  const queue = new WorkQueue();
  const served = new Map<string, Served>();
  const terminating = new Set<string>();
  informer.addEventHandler({
    add: (o) => queue.add(o.metadata.name ?? ""),
    update: (_a, o) => queue.add(o.metadata.name ?? ""),
    delete: (o) => queue.add(o.metadata.name ?? ""),
  });

  function unserve(name: string): void {
    const s = served.get(name);
    if (!s) return;
    for (const k of s.kinds) kinds.unregister(k);
    for (const n of s.schemaNames) delete schemas[n];
    served.delete(name);
  }

  function owner(k: { group: string; version: string; resource: string }): string | undefined {
    for (const [name, s] of served) if (s.kinds.some((x) => x.group === k.group && x.version === k.version && x.resource === k.resource)) return name;
    return undefined;
  }

  function serve(crd: Crd): string | undefined {
    const name = crd.metadata.name ?? "";
    const made = customResourceKinds(crd, { terminating: () => terminating.has(name) });
    for (const k of made.kinds) {
      const taken = kinds.lookup(k.group, k.version, k.resource);
      if (taken && owner(k) !== name) return `${JSON.stringify(k.resource)} is already in use`;
    }
    const before = served.get(name);
    Object.assign(schemas, made.schemas);
    for (const old of before?.kinds ?? []) {
      if (!made.kinds.some((k) => k.version === old.version && k.resource === old.resource)) kinds.unregister(old);
    }
    for (const n of before?.schemaNames ?? []) if (!(n in made.schemas)) delete schemas[n];
    for (const k of made.kinds) kinds.register(k);
    served.set(name, { kinds: made.kinds, schemaNames: Object.keys(made.schemas) });
    return undefined;
  }

  async function writeStatus(crd: Crd, status: CrdStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(crd.status ?? {})) return;
    await client.update(CRDS, undefined, { ...crd, status }, { subresource: "status" });
  }

  async function cleanup(crd: Crd): Promise<void> {
    const name = crd.metadata.name ?? "";
    terminating.add(name);
    const status = crd.status ?? {};
    await writeStatus(crd, {
      ...status,
      conditions: mergeConditions(status.conditions ?? [], [{ type: "Terminating", status: "True", reason: "InstanceDeletionInProgress", message: "CustomResource deletion is in progress" }]),
    });
    const kind = served.get(name)?.kinds[0];
    if (kind) {
      const ref: ResourceRef = { group: kind.group, version: kind.version, resource: kind.resource, namespaced: kind.namespaced };
      const list = await client.list(ref, undefined);
      for (const item of list.items) {
        if (item.metadata.deletionTimestamp) continue;
        try {
          await client.delete(ref, kind.namespaced ? item.metadata.namespace : undefined, item.metadata.name ?? "");
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        }
      }
      if (list.items.length > 0) {
        queue.addAfter(name, opts.cleanupRetryMs ?? 500);
        return;
      }
    }
    unserve(name);
    const finalizers = (crd.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    if (finalizers.length !== (crd.metadata.finalizers ?? []).length) {
      await client.patch(CRDS, undefined, name, "merge", { metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: crd.metadata.resourceVersion } });
    }
  }

  async function sync(name: string): Promise<void> {
    const crd = informer.store.get(name);
    if (!crd) {
      terminating.delete(name);
      unserve(name);
      return;
    }
    if (crd.metadata.deletionTimestamp) return cleanup(crd);
    terminating.delete(name);
    if (!(crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) {
      await client.patch(CRDS, undefined, name, "merge", {
        metadata: { finalizers: [...(crd.metadata.finalizers ?? []), CLEANUP_FINALIZER], resourceVersion: crd.metadata.resourceVersion },
      });
      return;
    }
    const conflict = serve(crd);
    const status = crd.status ?? {};
    const { names } = crd.spec;
    const storage = storageVersionOf(crd);
    const stored = [...(status.storedVersions ?? [])];
    if (storage && !stored.includes(storage)) stored.push(storage);
    const wanted: CrdCondition[] = conflict
      ? [
          { type: "NamesAccepted", status: "False", reason: "NameConflict", message: conflict },
          { type: "Established", status: "False", reason: "NotAccepted", message: "not all names are accepted" },
        ]
      : [
          { type: "NamesAccepted", status: "True", reason: "NoConflicts", message: "no conflicts found" },
          { type: "Established", status: "True", reason: "InitialNamesAccepted", message: "the initial names have been accepted" },
        ];
    await writeStatus(crd, {
      ...status,
      conditions: mergeConditions(status.conditions ?? [], wanted),
      acceptedNames: conflict
        ? (status.acceptedNames ?? { plural: "", kind: "" })
        : {
            plural: names.plural,
            singular: names.singular ?? names.kind.toLowerCase(),
            ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
            kind: names.kind,
            listKind: names.listKind ?? `${names.kind}List`,
            ...(names.categories?.length ? { categories: names.categories } : {}),
          },
      storedVersions: stored,
    });
  }

  const loop: ControllerLoop = runController({ name: "crd", queue, sync });
  informer.start();
  const ready = (async () => {
    await informer.waitForSync();
    // existing CRDs are served before the caller goes on, so restarts do not 404 their resources
    for (const crd of informer.store.list()) if (!crd.metadata.deletionTimestamp && (crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) serve(crd);
  })();
  return {
    ready: () => ready,
    async stop() {
      informer.stop();
      await loop.stop();
    },
  };
}

/** Whether an object is a CRD the controller reports as Established. */
export function isEstablished(obj: KubeObject): boolean {
  return ((obj as Crd).status?.conditions ?? []).some((c) => c.type === "Established" && c.status === "True");
}
