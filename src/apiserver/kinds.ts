/**
 * The served kinds, mutable at run time: CRDs register and unregister kinds
 * while the server runs, so every lookup goes through this registry.
 */
import type { KindDef } from "../api/kind.ts";

const DEFAULT_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/** Storage prefixes that upstream keeps under a name other than the resource. */
const LEGACY_PREFIXES: Record<string, string> = {
  "/nodes": "/registry/minions",
  "/services": "/registry/services/specs",
  "/endpoints": "/registry/services/endpoints",
  "networking.k8s.io/ingresses": "/registry/ingress",
  "apiextensions.k8s.io/customresourcedefinitions": "/registry/apiextensions.k8s.io/customresourcedefinitions",
  "apiregistration.k8s.io/apiservices": "/registry/apiregistration.k8s.io/apiservices",
};

/** The verbs a kind serves. */
export function kindVerbs(kind: KindDef): string[] {
  return kind.verbs ?? DEFAULT_VERBS;
}

/**
 * Whether upstream keeps this kind under /registry/<resource> (built-in kinds)
 * rather than /registry/<group>/<resource> (custom resources). Built-in kinds
 * carry upstream definition names (io.k8s.*); without a schemaRef the group decides.
 */
function builtin(kind: { group: string; schemaRef?: string }): boolean {
  if (kind.group === "") return true;
  if (kind.schemaRef !== undefined) return kind.schemaRef.startsWith("io.k8s.");
  return !kind.group.includes(".") || kind.group.endsWith(".k8s.io");
}

/** The storage prefix (no trailing slash) shared by every version of a group/resource. */
export function storagePrefix(kind: Pick<KindDef, "group" | "resource"> & { schemaRef?: string }): string {
  const legacy = LEGACY_PREFIXES[`${kind.group}/${kind.resource}`];
  if (legacy) return legacy;
  return builtin(kind) ? `/registry/${kind.resource}` : `/registry/${kind.group}/${kind.resource}`;
}

/** The storage key of one object. */
export function storageKey(kind: Pick<KindDef, "group" | "resource" | "namespaced"> & { schemaRef?: string }, ref: { namespace?: string; name: string }): string {
  const prefix = storagePrefix(kind);
  return kind.namespaced ? `${prefix}/${ref.namespace ?? ""}/${ref.name}` : `${prefix}/${ref.name}`;
}

/** "apps/v1" or "v1". */
export function apiVersionOf(kind: Pick<KindDef, "group" | "version">): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

type Listener = (event: "register" | "unregister", kind: KindDef) => void;

/** A mutable set of kinds, indexed by group/version/resource. */
export class KindRegistry {
  #byGVR = new Map<string, KindDef>();
  #listeners = new Set<Listener>();

  constructor(kinds: KindDef[] = []) {
    for (const k of kinds) this.register(k);
  }

  /** adds or replaces a kind (same group/version/resource) */
  register(kind: KindDef): void {
    this.#byGVR.set(`${kind.group}/${kind.version}/${kind.resource}`, kind);
    for (const l of this.#listeners) l("register", kind);
  }

  /** removes a kind; its stored objects stay */
  unregister(ref: { group: string; version: string; resource: string }): void {
    const key = `${ref.group}/${ref.version}/${ref.resource}`;
    const kind = this.#byGVR.get(key);
    if (!kind) return;
    this.#byGVR.delete(key);
    for (const l of this.#listeners) l("unregister", kind);
  }

  /** the kind served at group/version/resource */
  lookup(group: string, version: string, resource: string): KindDef | undefined {
    return this.#byGVR.get(`${group}/${version}/${resource}`);
  }

  /** the kind of group/version with this Kind name */
  lookupKind(group: string, version: string, kindName: string): KindDef | undefined {
    for (const k of this.#byGVR.values()) if (k.group === group && k.version === version && k.kind === kindName) return k;
    return undefined;
  }

  all(): KindDef[] {
    return [...this.#byGVR.values()];
  }

  /** group names in registration order, core ("") first */
  groups(): string[] {
    const out: string[] = [];
    for (const k of this.#byGVR.values()) if (!out.includes(k.group)) out.push(k.group);
    return out.sort((a, b) => (a === "" ? -1 : b === "" ? 1 : 0));
  }

  /** versions of a group, preferred (storage/first registered) first */
  versions(group: string): string[] {
    const out: string[] = [];
    for (const k of this.#byGVR.values()) if (k.group === group && !out.includes(k.version)) out.push(k.version);
    return out.sort(compareVersions);
  }

  /** calls back on register/unregister; returns an unsubscribe function */
  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const level = m[2] === undefined ? 3 : m[2] === "beta" ? 2 : 1;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
  return a < b ? -1 : a > b ? 1 : 0;
}
