/**
 * Image pulls as upstream's image manager: honour imagePullPolicy (ask
 * ImageStatus first: PullImage always contacts a registry), credentials from
 * imagePullSecrets, events Pulling/Pulled/Failed, and per-image back-off
 * (ErrImagePull, then ImagePullBackOff). registries.yaml rewrites, which
 * containerd 1.6 cannot apply, are applied here (images/).
 */
import type { AuthConfig, CriClient } from "./cri/mod.ts";
import { objectData, type ObjectCache } from "./env.ts";
import { pullThroughRewrites } from "./images/mirrorpull.ts";
import { RegistryRewrites, type PullRegistries } from "./images/rewrite.ts";
import type { ContainerSpec, KPod } from "./types.ts";
import type { EventRecorder } from "../client/mod.ts";

/** The outcome of making an image present. */
export type EnsureResult = { ok: true; imageRef: string } | { ok: false; reason: "ErrImagePull" | "ImagePullBackOff" | "ErrImageNeverPull" | "InvalidImageName"; message: string };

/** The default pull policy for an image reference, as the API defaults it. */
export function defaultPullPolicy(image: string): "Always" | "IfNotPresent" {
  if (image.includes("@")) return "IfNotPresent";
  const last = image.slice(image.lastIndexOf("/") + 1);
  const tag = last.includes(":") ? last.slice(last.indexOf(":") + 1) : "";
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}

/** The registry host of an image reference (docker.io for short names). */
export function registryHost(image: string): string {
  const first = image.split("/")[0]!;
  if (image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) return first;
  return "docker.io";
}

/** Finds credentials for the image in the pod's imagePullSecrets (dockerconfigjson / dockercfg). */
export async function pullAuth(pod: KPod, ref: { image: string; objects: ObjectCache }): Promise<AuthConfig | undefined> {
  const { image, objects } = ref;
  const host = registryHost(image);
  const aliases = host === "docker.io" ? ["docker.io", "index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1/"] : [host];
  for (const ref of pod.spec.imagePullSecrets ?? []) {
    const secret = await objects.get("secrets", pod.metadata.namespace ?? "default", ref.name);
    if (!secret) continue;
    const data = objectData("secrets", secret);
    const raw = data[".dockerconfigjson"] ?? data[".dockercfg"];
    if (!raw) continue;
    let parsed: { auths?: Record<string, AuthEntry> } & Record<string, AuthEntry | Record<string, AuthEntry> | undefined>;
    try {
      parsed = JSON.parse(raw);
    } catch {
      continue;
    }
    const auths = (parsed.auths ?? parsed) as Record<string, AuthEntry>;
    for (const [key, entry] of Object.entries(auths)) {
      const k = key.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
      if (aliases.includes(key) || aliases.includes(k)) {
        let { username, password } = entry;
        if (!username && entry.auth) [username, password] = Buffer.from(entry.auth, "base64").toString().split(/:(.*)/s) as [string, string];
        // containerd parses server_address as a URL and rejects "host:port": leave it empty (credentials for this pull)
        return { username, password, identity_token: entry.identitytoken };
      }
    }
  }
  return undefined;
}

interface AuthEntry {
  username?: string;
  password?: string;
  auth?: string;
  identitytoken?: string;
}

/** Options of the image puller. */
export interface ImagePullerOptions {
  /** registries.yaml (mirrors and configs), for the rewrites containerd 1.6 cannot apply itself */
  registries?: PullRegistries;
  log?: (msg: string) => void;
}

/** Pulls images with back-off per image. */
export class ImagePuller {
  readonly #backoff = new Map<string, { until: number; delay: number; message: string }>();
  readonly #inflight = new Map<string, Promise<string>>();
  readonly #rewrites: RegistryRewrites;
  readonly #log: (msg: string) => void;
  constructor(
    private readonly cri: CriClient,
    private readonly events: EventRecorder,
    opts: ImagePullerOptions = {},
  ) {
    this.#log = opts.log ?? (() => {});
    this.#rewrites = new RegistryRewrites(opts.registries ?? { mirrors: {}, configs: {} }, this.#log);
  }

  /** Makes the container's image present according to its pull policy. */
  async ensure(pod: KPod, c: ContainerSpec, objects: ObjectCache): Promise<EnsureResult> {
    const image = c.image ?? "";
    if (!image) return { ok: false, reason: "InvalidImageName", message: `container ${c.name} has no image` };
    const policy = c.imagePullPolicy ?? defaultPullPolicy(image);
    if (policy !== "Always") {
      const present = await this.cri.imageStatus(image);
      if (present) {
        this.events.event(pod, "Normal", "Pulled", `Container image "${image}" already present on machine`);
        return { ok: true, imageRef: present.id };
      }
      if (policy === "Never") {
        const message = `Container image "${image}" is not present with pull policy of Never`;
        this.events.event(pod, "Warning", "ErrImageNeverPull", message);
        return { ok: false, reason: "ErrImageNeverPull", message };
      }
    }
    const key = `${pod.metadata.uid}/${image}`;
    const b = this.#backoff.get(key);
    if (b && Date.now() < b.until) {
      this.events.event(pod, "Normal", "BackOff", `Back-off pulling image "${image}"`);
      return { ok: false, reason: "ImagePullBackOff", message: `Back-off pulling image "${image}": ${b.message}` };
    }
    this.events.event(pod, "Normal", "Pulling", `Pulling image "${image}"`);
    const started = Date.now();
    try {
      let p = this.#inflight.get(image);
      if (!p) {
        p = this.#pull(pod, { image, objects }).finally(() => this.#inflight.delete(image));
        this.#inflight.set(image, p);
      }
      const ref = await p;
      this.#backoff.delete(key);
      this.events.event(pod, "Normal", "Pulled", `Successfully pulled image "${image}" in ${Date.now() - started}ms`);
      return { ok: true, imageRef: ref };
    } catch (e) {
      const message = `Failed to pull image "${image}": ${(e as Error).message.replace(/^cri \w+: /, "")}`;
      const delay = b ? Math.min(b.delay * 2, 300) : 10;
      this.#backoff.set(key, { until: Date.now() + delay * 1000, delay, message });
      this.events.event(pod, "Warning", "Failed", message);
      this.events.event(pod, "Warning", "Failed", "Error: ErrImagePull");
      return { ok: false, reason: "ErrImagePull", message };
    }
  }

  /**
   * One pull: through the rewritten mirror names when a rewrite applies,
   * else (or when all of those fail) containerd's own pull, which tries the
   * mirrors unrewritten and then the default endpoint, as k3s falls back.
   */
  async #pull(pod: KPod, ref: { image: string; objects: ObjectCache }): Promise<string> {
    const pulls = this.#rewrites.plan(ref.image);
    if (pulls.length) {
      const authFor = async (p: { ref: string; auth?: AuthConfig }): Promise<AuthConfig | undefined> => (await pullAuth(pod, { image: p.ref, objects: ref.objects })) ?? p.auth;
      const r = await pullThroughRewrites(ref.image, { cri: this.cri, pulls, authFor });
      if (r.ok) {
        this.#log(`pulled ${ref.image} from mirror ${r.endpoint} under a rewritten name`);
        return r.imageRef;
      }
      this.#log(`rewritten pulls of ${ref.image} failed, falling back to the registry: ${r.errors.join("; ")}`);
    }
    return this.cri.pullImage(ref.image, { auth: await pullAuth(pod, ref) });
  }

  /** Forgets a pod's back-off entries. */
  forget(uid: string): void {
    for (const k of this.#backoff.keys()) if (k.startsWith(uid + "/")) this.#backoff.delete(k);
  }
}
