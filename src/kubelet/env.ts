/** A container's environment: env (value, fieldRef, resourceFieldRef, configMap/secret keys) and envFrom. */
import type { KubeObject } from "../api/types.ts";
import { ApiError, R, type Client } from "../client/mod.ts";
import { fieldPathValue, resourceFieldValue, type FieldContext } from "./fieldpath.ts";
import type { ContainerSpec, KPod } from "./types.ts";

/** Fetches ConfigMaps and Secrets once per sync; missing objects are null. */
export class ObjectCache {
  readonly #m = new Map<string, Promise<KubeObject | null>>();
  constructor(private readonly client: Client) {}
  /** The object, or null when it does not exist. */
  get(kind: "configmaps" | "secrets", ns: string, name: string): Promise<KubeObject | null> {
    const key = `${kind}/${ns}/${name}`;
    let p = this.#m.get(key);
    if (!p) {
      p = this.client.get(R[kind], ns, name).catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 404) return null;
        throw e;
      });
      this.#m.set(key, p);
    }
    return p;
  }
}

/** The string data of a ConfigMap or Secret (secrets decoded from base64). */
export function objectData(kind: "configmaps" | "secrets", obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const data = (obj.data ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(data)) out[k] = kind === "secrets" ? Buffer.from(v, "base64").toString("utf8") : v;
  if (kind === "configmaps") {
    for (const [k, v] of Object.entries((obj.binaryData ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, "base64").toString("utf8");
  } else {
    for (const [k, v] of Object.entries((obj.stringData ?? {}) as Record<string, string>)) out[k] = v;
  }
  return out;
}

/** Inputs for building a container's environment. */
export interface EnvContext extends FieldContext {
  objects: ObjectCache;
  allocatable?: Record<string, string>;
  /** variables added before the container's own (service links) */
  base?: Record<string, string>;
}

/** Expands $(VAR) references against the variables defined so far ($$ escapes). */
export function expandVars(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === "$$") return "$";
    return name !== undefined && name in vars ? vars[name]! : m;
  });
}

/** Resolves a container's env and envFrom into ordered key/values; throws when a required source is missing. */
export async function containerEnv(pod: KPod, ctx: EnvContext & { container: ContainerSpec }): Promise<[string, string][]> {
  const c = ctx.container;
  const ns = pod.metadata.namespace ?? "default";
  const vars: Record<string, string> = { ...(ctx.base ?? {}) };
  for (const src of c.envFrom ?? []) {
    const ref = src.configMapRef ?? src.secretRef;
    if (!ref) continue;
    const kind = src.configMapRef ? "configmaps" : "secrets";
    const obj = await ctx.objects.get(kind, ns, ref.name);
    if (!obj) {
      if (ref.optional) continue;
      throw new Error(`${kind === "configmaps" ? "configmap" : "secret"} "${ref.name}" not found`);
    }
    for (const [k, v] of Object.entries(objectData(kind, obj))) vars[(src.prefix ?? "") + k] = v;
  }
  for (const e of c.env ?? []) {
    const vf = e.valueFrom;
    if (!vf) {
      vars[e.name] = expandVars(e.value ?? "", vars);
    } else if (vf.fieldRef) {
      vars[e.name] = fieldPathValue(pod, { ...ctx, fieldPath: vf.fieldRef.fieldPath });
    } else if (vf.resourceFieldRef) {
      vars[e.name] = resourceFieldValue(pod, { ...vf.resourceFieldRef, defaultContainer: c.name, allocatable: ctx.allocatable });
    } else {
      const sel = vf.configMapKeyRef ?? vf.secretKeyRef;
      if (!sel) continue;
      const kind = vf.configMapKeyRef ? "configmaps" : "secrets";
      const label = kind === "configmaps" ? "configmap" : "secret";
      const obj = await ctx.objects.get(kind, ns, sel.name);
      const data = obj ? objectData(kind, obj) : undefined;
      if (!data || !(sel.key in data)) {
        if (sel.optional) continue;
        throw new Error(obj ? `couldn't find key ${sel.key} in ${label} ${ns}/${sel.name}` : `${label} "${sel.name}" not found`);
      }
      vars[e.name] = data[sel.key]!;
    }
  }
  return Object.entries(vars);
}
