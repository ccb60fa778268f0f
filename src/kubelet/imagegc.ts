/**
 * Image garbage collection as upstream's image manager: when the image
 * filesystem is fuller than the high threshold, remove images no container
 * uses (never the sandbox image) until usage is under the low threshold.
 */
import { statfsSync } from "node:fs";
import type { CriClient } from "./cri/mod.ts";

/** When and what image GC may remove. */
export interface ImageGCOptions {
  /** the filesystem holding containerd's root (for capacity) */
  imageFsPath: string;
  /** percent of the filesystem; default 85 */
  highThresholdPercent?: number;
  /** percent of the filesystem; default 80 */
  lowThresholdPercent?: number;
  /** references never removed (the pause image) */
  keep?: string[];
}

/** What one collection did. */
export interface ImageGCResult {
  usedPercent: number;
  removed: string[];
}

function usedPercent(path: string): { percent: number; capacity: number; free: number } {
  const s = statfsSync(path);
  const capacity = s.blocks * s.bsize;
  const free = s.bavail * s.bsize;
  return { percent: capacity ? ((capacity - free) / capacity) * 100 : 0, capacity, free };
}

/** Runs one image GC pass. */
export async function collectImages(cri: CriClient, opts: ImageGCOptions): Promise<ImageGCResult> {
  const high = opts.highThresholdPercent ?? 85;
  const low = opts.lowThresholdPercent ?? 80;
  const usage = usedPercent(opts.imageFsPath);
  if (usage.percent < high) return { usedPercent: usage.percent, removed: [] };
  const inUse = new Set<string>();
  for (const c of await cri.listContainers()) {
    inUse.add(c.image_ref);
    if (c.image?.image) inUse.add(c.image.image);
  }
  const keep = new Set(opts.keep ?? []);
  const images = await cri.listImages();
  const candidates = images.filter((img) => !inUse.has(img.id) && !img.pinned && !img.repo_tags.some((t) => keep.has(t) || inUse.has(t)) && !img.repo_digests.some((d) => inUse.has(d)));
  // largest first frees the most with the fewest removals
  candidates.sort((a, b) => Number(BigInt(b.size) - BigInt(a.size)));
  const removed: string[] = [];
  let bytesToFree = ((usage.percent - low) / 100) * usage.capacity;
  for (const img of candidates) {
    if (bytesToFree <= 0) break;
    await cri.removeImage(img.id);
    removed.push(img.repo_tags[0] ?? img.id);
    bytesToFree -= Number(img.size);
  }
  return { usedPercent: usedPercent(opts.imageFsPath).percent, removed };
}
