/**
 * A pull through rewritten mirror names: CRI pulls "<endpoint>/<rewritten
 * repo>" from each endpoint in turn; the first that succeeds is renamed to
 * the name the pod asked for through containerd's Images API (same target
 * descriptor), so ImageStatus, CreateContainer and the node's image list see
 * the original name only, as with k3s's patched containerd.
 */
import { ContainerdImages, type AuthConfig, type CriClient } from "../cri/mod.ts";
import { formatReference, parseReference } from "./reference.ts";
import type { RewrittenPull } from "./rewrite.ts";

/** What a rewritten pull needs. */
export interface MirrorPullOptions {
  cri: CriClient;
  /** the pulls to try, in order (RegistryRewrites.plan) */
  pulls: RewrittenPull[];
  /** credentials for one rewritten reference (the pod's imagePullSecrets, else registries.yaml) */
  authFor(pull: RewrittenPull): Promise<AuthConfig | undefined>;
}

/** The outcome: the image id under the original name, or every endpoint's error. */
export type MirrorPullResult = { ok: true; imageRef: string; endpoint: string } | { ok: false; errors: string[] };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls ImageStatus until the CRI plugin has taken in the renamed record (it follows image events). */
async function imageIdOf(cri: CriClient, name: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const img = await cri.imageStatus(name);
    if (img) return img.id;
    await sleep(50);
  }
  throw new Error(`image ${name} did not appear in the runtime after renaming`);
}

/** Points the original name at what the rewritten reference holds, then drops the rewritten name unless it was there before. */
async function rename(images: ContainerdImages, from: string, to: string, keepFrom: boolean): Promise<void> {
  const record = await images.get(from);
  if (!record?.target) throw new Error(`pulled image ${from} has no record in containerd`);
  await images.put({ name: to, labels: record.labels, target: record.target });
  if (!keepFrom) await images.delete(from);
}

/** Tries each rewritten pull in order; the first success is renamed to image. */
export async function pullThroughRewrites(image: string, opts: MirrorPullOptions): Promise<MirrorPullResult> {
  const original = formatReference(parseReference(image));
  // shares the CRI connection
  const images = new ContainerdImages(opts.cri);
  const errors: string[] = [];
  try {
    for (const pull of opts.pulls) {
      const rewritten = formatReference(parseReference(pull.ref));
      try {
        const existed = (await images.get(rewritten)) !== null;
        await opts.cri.pullImage(pull.ref, { auth: await opts.authFor(pull) });
        await rename(images, rewritten, original, existed);
        return { ok: true, imageRef: await imageIdOf(opts.cri, original), endpoint: pull.endpoint };
      } catch (e) {
        errors.push(`${pull.ref}: ${(e as Error).message.replace(/^cri \S+: /, "")}`);
      }
    }
    return { ok: false, errors };
  } finally {
    images.close();
  }
}
