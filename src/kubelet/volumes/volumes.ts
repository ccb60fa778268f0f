/**
 * Pod volumes on the host: emptyDir (disk or tmpfs), hostPath, configMap,
 * secret, downwardAPI, projected (with service-account tokens), and PVCs
 * bound to hostPath/local PVs. Each resolves to a host path the container
 * mounts. fsGroup owns every kind but hostPath (volume or PV), as upstream.
 */
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { KubeObject } from "../../api/types.ts";
import { ApiError, parseQuantity, R, type Client } from "../../client/mod.ts";
import { objectData, type ObjectCache } from "../env.ts";
import { fieldPathValue, resourceFieldValue, type FieldContext } from "../fieldpath.ts";
import type { DownwardAPIVolumeFile, KeyToPath, KPod, Volume } from "../types.ts";
import { applyFsGroup } from "../security.ts";
import { writeAtomicDir, type PayloadFile } from "./atomic.ts";
import { podFsGroup, setVolumeOwnership } from "./ownership.ts";

/** What setting up volumes needs. */
export interface VolumeContext extends FieldContext {
  /** kubelet root dir (volumes go to <rootDir>/pods/<uid>/volumes) */
  rootDir: string;
  client: Client;
  objects: ObjectCache;
  tokens: TokenCache;
  allocatable?: Record<string, string>;
}

/** Where a pod's volumes live on the host. */
export function podDir(rootDir: string, uid: string): string {
  return join(rootDir, "pods", uid);
}

function pluginDir(kind: string): string {
  return `kubernetes.io~${kind}`;
}

/** Service-account tokens per pod volume, renewed at 80% of their lifetime. */
export class TokenCache {
  readonly #m = new Map<string, { token: string; renewAt: number }>();
  constructor(private readonly client: Client) {}
  /** A token for the pod's service account, from the TokenRequest API. */
  async token(pod: KPod, opts: { audience?: string; expirationSeconds?: number }): Promise<string> {
    const sa = pod.spec.serviceAccountName || "default";
    const key = `${pod.metadata.uid}/${sa}/${opts.audience ?? ""}/${opts.expirationSeconds ?? 3607}`;
    const hit = this.#m.get(key);
    if (hit && Date.now() < hit.renewAt) return hit.token;
    const req: KubeObject = {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      metadata: { name: sa, namespace: pod.metadata.namespace },
      spec: {
        audiences: opts.audience ? [opts.audience] : [],
        expirationSeconds: opts.expirationSeconds ?? 3607,
        boundObjectRef: { kind: "Pod", apiVersion: "v1", name: pod.metadata.name, uid: pod.metadata.uid },
      },
    };
    const res = await this.client.create(R.serviceaccounts, pod.metadata.namespace, req, { subresource: "token" });
    const status = (res.status ?? {}) as { token?: string; expirationTimestamp?: string };
    if (!status.token) throw new Error(`token request for serviceaccount ${pod.metadata.namespace}/${sa} returned no token`);
    const exp = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Date.now() + 3600_000;
    const renewAt = Date.now() + Math.max(1000, (exp - Date.now()) * 0.8);
    this.#m.set(key, { token: status.token, renewAt });
    return status.token;
  }
  /** Forgets a pod's tokens. */
  forget(uid: string): void {
    for (const k of this.#m.keys()) if (k.startsWith(uid + "/")) this.#m.delete(k);
  }
}

function keyFiles(data: Record<string, string>, items: KeyToPath[] | undefined, mode: number | undefined, what: string): PayloadFile[] {
  if (!items?.length) return Object.entries(data).map(([k, v]) => ({ path: k, data: v, mode }));
  return items.map((it) => {
    if (!(it.key in data)) throw new Error(`configuration key ${it.key} not found in ${what}`);
    return { path: it.path, data: data[it.key]!, mode: it.mode ?? mode };
  });
}

function downwardFiles(pod: KPod, items: DownwardAPIVolumeFile[] | undefined, mode: number | undefined, ctx: VolumeContext): PayloadFile[] {
  return (items ?? []).map((it) => ({
    path: it.path,
    mode: it.mode ?? mode,
    data: it.fieldRef
      ? fieldPathValue(pod, { ...ctx, fieldPath: it.fieldRef.fieldPath })
      : it.resourceFieldRef
        ? resourceFieldValue(pod, { ...it.resourceFieldRef, allocatable: ctx.allocatable })
        : "",
  }));
}

async function sourceFiles(
  pod: KPod,
  kind: "configmaps" | "secrets",
  src: { name: string; items?: KeyToPath[]; optional?: boolean },
  mode: number | undefined,
  ctx: VolumeContext,
): Promise<PayloadFile[]> {
  const ns = pod.metadata.namespace ?? "default";
  const obj = await ctx.objects.get(kind, ns, src.name);
  const label = kind === "configmaps" ? "configmap" : "secret";
  if (!obj) {
    if (src.optional) return [];
    throw new Error(`${label} "${src.name}" not found`);
  }
  return keyFiles(objectData(kind, obj), src.items, mode, `${label} ${ns}/${src.name}`);
}

function isMounted(dir: string): boolean {
  try {
    return readFileSync("/proc/self/mounts", "utf8").split("\n").some((l) => l.split(" ")[1] === dir);
  } catch {
    return false;
  }
}

/** The host path of the PV bound to a claim, and whether it is a local PV (hostPath PVs never get fsGroup). */
async function persistentVolumePath(pod: KPod, claimName: string, ctx: VolumeContext): Promise<{ path: string; local: boolean }> {
  const ns = pod.metadata.namespace ?? "default";
  let pvc: KubeObject;
  try {
    pvc = await ctx.client.get(R.persistentvolumeclaims, ns, claimName);
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) throw new Error(`persistentvolumeclaim "${claimName}" not found`);
    throw e;
  }
  const volumeName = (pvc.spec as { volumeName?: string } | undefined)?.volumeName;
  if (!volumeName) throw new Error(`persistentvolumeclaim "${claimName}" is not bound`);
  const pv = await ctx.client.get(R.persistentvolumes, undefined, volumeName);
  const spec = (pv.spec ?? {}) as { hostPath?: { path: string }; local?: { path: string } };
  const path = spec.hostPath?.path ?? spec.local?.path;
  if (!path) throw new Error(`persistentvolume "${volumeName}" is neither hostPath nor local`);
  mkdirSync(path, { recursive: true });
  return { path, local: !spec.hostPath };
}

/**
 * fsGroup for a local PV, once per pod: upstream changes ownership when it
 * mounts the volume for the pod, and a marker under the pod's volume dir
 * stands for that mount here (setup runs on every sync). A read-only claim
 * is left alone, as upstream's local plugin does.
 */
function localVolumeOwnership(pod: KPod, vol: { path: string; marker: string; readOnly?: boolean }): void {
  if (existsSync(vol.marker)) return;
  const fsGroup = podFsGroup(pod);
  if (fsGroup && !vol.readOnly) setVolumeOwnership(vol.path, fsGroup);
  mkdirSync(vol.marker, { recursive: true });
}

/** Makes one volume ready; returns its host path. */
export async function setupVolume(pod: KPod, ctx: VolumeContext & { volume: Volume }): Promise<string> {
  const v = ctx.volume;
  const base = join(podDir(ctx.rootDir, pod.metadata.uid!), "volumes");
  const fsGroup = pod.spec.securityContext?.fsGroup;
  let mountedNow = false;
  if (v.hostPath) {
    const p = v.hostPath.path;
    const type = v.hostPath.type ?? "";
    if (type === "DirectoryOrCreate") mkdirSync(p, { recursive: true, mode: 0o755 });
    else if (type === "FileOrCreate" && !existsSync(p)) closeSync(openSync(p, "a", 0o644));
    else if (type === "Directory" && !(existsSync(p) && statSync(p).isDirectory())) throw new Error(`hostPath type check failed: ${p} is not a directory`);
    else if (type === "File" && !(existsSync(p) && statSync(p).isFile())) throw new Error(`hostPath type check failed: ${p} is not a file`);
    else if (type === "Socket" && !(existsSync(p) && statSync(p).isSocket())) throw new Error(`hostPath type check failed: ${p} is not a socket`);
    else if (type === "CharDevice" && !(existsSync(p) && statSync(p).isCharacterDevice())) throw new Error(`hostPath type check failed: ${p} is not a character device`);
    else if (type === "BlockDevice" && !(existsSync(p) && statSync(p).isBlockDevice())) throw new Error(`hostPath type check failed: ${p} is not a block device`);
    return p;
  }
  if (v.persistentVolumeClaim) {
    const pv = await persistentVolumePath(pod, v.persistentVolumeClaim.claimName, ctx);
    if (pv.local) localVolumeOwnership(pod, { path: pv.path, marker: join(base, pluginDir("local-volume"), v.name), readOnly: v.persistentVolumeClaim.readOnly });
    return pv.path;
  }
  if (v.emptyDir || (!v.configMap && !v.secret && !v.downwardAPI && !v.projected)) {
    const dir = join(base, pluginDir("empty-dir"), v.name);
    const fresh = !existsSync(dir);
    mkdirSync(dir, { recursive: true, mode: 0o777 });
    if (v.emptyDir?.medium === "Memory" && !isMounted(dir)) {
      // a Quantity ("64Mi", "100M", "1G") to bytes: tmpfs reads "100M" as MiB
      const size = v.emptyDir.sizeLimit ? [`-o`, `size=${Math.floor(parseQuantity(v.emptyDir.sizeLimit))}`] : [];
      execFileSync("mount", ["-t", "tmpfs", "-o", "mode=0777", ...size, "tmpfs", dir]);
      mountedNow = true;
    }
    // ownership once, at creation: the contents are the pod's afterwards
    if ((fresh || mountedNow) && fsGroup !== undefined) applyFsGroup(dir, { gid: fsGroup });
    return dir;
  }
  let kind: string;
  let files: PayloadFile[];
  if (v.configMap) {
    kind = "configmap";
    files = await sourceFiles(pod, "configmaps", v.configMap, v.configMap.defaultMode, ctx);
  } else if (v.secret) {
    kind = "secret";
    files = await sourceFiles(pod, "secrets", { ...v.secret, name: v.secret.secretName }, v.secret.defaultMode, ctx);
  } else if (v.downwardAPI) {
    kind = "downward-api";
    files = downwardFiles(pod, v.downwardAPI.items, v.downwardAPI.defaultMode, ctx);
  } else {
    kind = "projected";
    files = [];
    const mode = v.projected!.defaultMode;
    for (const s of v.projected!.sources ?? []) {
      if (s.configMap) files.push(...(await sourceFiles(pod, "configmaps", s.configMap, mode, ctx)));
      else if (s.secret) files.push(...(await sourceFiles(pod, "secrets", s.secret, mode, ctx)));
      else if (s.downwardAPI) files.push(...downwardFiles(pod, s.downwardAPI.items, mode, ctx));
      else if (s.serviceAccountToken) {
        const token = await ctx.tokens.token(pod, s.serviceAccountToken);
        files.push({ path: s.serviceAccountToken.path, data: token, mode: mode ?? 0o644 });
      }
    }
  }
  const dir = join(base, pluginDir(kind), v.name);
  if (writeAtomicDir(dir, files) && fsGroup !== undefined) applyFsGroup(dir, { gid: fsGroup, readOnly: true });
  return dir;
}

/** Sets up every volume of the pod; returns name → host path. */
export async function setupVolumes(pod: KPod, ctx: VolumeContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const v of pod.spec.volumes ?? []) out.set(v.name, await setupVolume(pod, { ...ctx, volume: v }));
  return out;
}

/** Unmounts tmpfs emptyDirs and removes the pod's directory. */
export function teardownVolumes(rootDir: string, uid: string): void {
  const dir = podDir(rootDir, uid);
  const emptyDirs = join(dir, "volumes", pluginDir("empty-dir"));
  if (existsSync(emptyDirs)) {
    for (const line of readFileSync("/proc/self/mounts", "utf8").split("\n")) {
      const mp = line.split(" ")[1];
      if (mp && mp.startsWith(emptyDirs + "/")) {
        try {
          execFileSync("umount", [mp]);
        } catch {
          /* already gone */
        }
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
