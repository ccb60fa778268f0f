/** Writes OCI image archives (oci-layout + index.json + blobs) that `ctr images import` accepts. */
import { createHash } from "node:crypto";
import { writeTar, type TarEntry } from "./tar.ts";

/** The parts of an OCI image config the runtime uses. */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  exposedPorts?: string[];
  labels?: Record<string, string>;
}

/** One image to put into an archive. */
export interface OciImageSpec {
  /** full reference, e.g. docker.io/k3s-ts/busybox:1.35 */
  name: string;
  /** uncompressed layer tarballs, bottom first */
  layers: Buffer[];
  config: ImageConfig;
  architecture?: string;
}

function sha256(b: Buffer): string {
  return "sha256:" + createHash("sha256").update(b).digest("hex");
}

function goArch(): string {
  return process.arch === "x64" ? "amd64" : process.arch;
}

/** One image as content-addressed blobs: what a registry serves. */
export interface OciImageBlobs {
  manifest: Buffer;
  manifestDigest: string;
  /** digest → content (config and layers; the manifest too) */
  blobs: Map<string, Buffer>;
  architecture: string;
}

/** Builds one image's manifest, config and layer blobs. */
export function ociImageBlobs(img: OciImageSpec): OciImageBlobs {
  const blobs = new Map<string, Buffer>();
  const put = (b: Buffer): string => {
    const d = sha256(b);
    blobs.set(d, b);
    return d;
  };
  const arch = img.architecture ?? goArch();
  const layerDescs = img.layers.map((l) => ({
    mediaType: "application/vnd.oci.image.layer.v1.tar",
    digest: put(l),
    size: l.length,
  }));
  const exposed: Record<string, object> = {};
  for (const p of img.config.exposedPorts ?? []) exposed[p] = {};
  const config = Buffer.from(
    JSON.stringify({
      architecture: arch,
      os: "linux",
      created: "1970-01-01T00:00:00Z",
      config: {
        Entrypoint: img.config.entrypoint,
        Cmd: img.config.cmd,
        Env: img.config.env ?? ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        WorkingDir: img.config.workingDir ?? "/",
        User: img.config.user,
        ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
        Labels: img.config.labels,
      },
      rootfs: { type: "layers", diff_ids: layerDescs.map((l) => l.digest) },
      history: layerDescs.map(() => ({ created: "1970-01-01T00:00:00Z", created_by: "k3s-ts" })),
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: put(config), size: config.length },
      layers: layerDescs,
    }),
  );
  return { manifest, manifestDigest: put(manifest), blobs, architecture: arch };
}

/** Builds an OCI archive holding the images; shared layers are stored once. */
export function ociArchive(images: OciImageSpec[]): Buffer {
  const blobs = new Map<string, Buffer>();
  const manifests: Record<string, unknown>[] = [];
  for (const img of images) {
    const one = ociImageBlobs(img);
    for (const [d, b] of one.blobs) blobs.set(d, b);
    manifests.push({
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: one.manifestDigest,
      size: one.manifest.length,
      platform: { architecture: one.architecture, os: "linux" },
      annotations: {
        "io.containerd.image.name": img.name,
        "org.opencontainers.image.ref.name": img.name.slice(img.name.lastIndexOf(":") + 1),
      },
    });
  }
  const entries: TarEntry[] = [
    { name: "oci-layout", type: "file", data: Buffer.from(JSON.stringify({ imageLayoutVersion: "1.0.0" })) },
    { name: "index.json", type: "file", data: Buffer.from(JSON.stringify({ schemaVersion: 2, manifests })) },
    { name: "blobs", type: "dir" },
    { name: "blobs/sha256", type: "dir" },
  ];
  for (const [d, b] of [...blobs].sort(([a], [c]) => a.localeCompare(c))) {
    entries.push({ name: `blobs/sha256/${d.slice(7)}`, type: "file", data: b });
  }
  return writeTar(entries);
}
