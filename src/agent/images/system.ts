/**
 * The images every node needs with no registry: a pause (sandbox) image and
 * a busybox image for demos and tests, both built from the host's static
 * busybox and written as an airgap tarball into <dataDir>/agent/images.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ociArchive } from "./oci.ts";
import type { TarEntry } from "./tar.ts";
import { writeTar } from "./tar.ts";

/** The sandbox image the agent's containerd is configured with. */
export const PAUSE_IMAGE = "docker.io/k3s-ts/pause:3.10";
/** A busybox image (Debian's busybox 1.35, static) for workloads with no registry. */
export const BUSYBOX_IMAGE = "docker.io/k3s-ts/busybox:1.35";
/** The airgap tarball buildSystemImages writes. */
export const SYSTEM_IMAGES_FILE = "k3s-ts-system-images.tar";

/** Where the static busybox comes from. */
export interface SystemImageOptions {
  /** default /bin/busybox (Debian's busybox-static) */
  busybox?: string;
}

const DIRS = ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "root", "home", "var", "var/www", "proc", "sys", "dev", "run"];

/** One layer: busybox, its applet links, and the few files a shell expects. */
export function busyboxLayer(opts: SystemImageOptions = {}): Buffer {
  const bin = opts.busybox ?? "/bin/busybox";
  const applets = execFileSync(bin, ["--list-full"], { encoding: "utf8" })
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => s && s !== "bin/busybox")
    .sort();
  const entries: TarEntry[] = DIRS.map((d) => ({ name: d, type: "dir" as const }));
  entries.push({ name: "tmp", type: "dir", mode: 0o1777 });
  entries.push({ name: "bin/busybox", type: "file", data: readFileSync(bin), mode: 0o755 });
  for (const a of applets) {
    const depth = a.split("/").length - 1;
    entries.push({ name: a, type: "symlink", linkname: "../".repeat(depth) + "bin/busybox" });
  }
  entries.push(
    { name: "etc/passwd", type: "file", data: Buffer.from("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n") },
    { name: "etc/group", type: "file", data: Buffer.from("root:x:0:\nnobody:x:65534:\n") },
  );
  return writeTar(entries);
}

/** The pause and busybox images in one OCI archive (they share the busybox layer). */
export function systemImagesArchive(opts: SystemImageOptions = {}): Buffer {
  const layer = busyboxLayer(opts);
  return ociArchive([
    {
      name: PAUSE_IMAGE,
      layers: [layer],
      // PID 1 ignores signals it has no handler for, hence the trap.
      config: { entrypoint: ["/bin/sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait; done"] },
    },
    { name: BUSYBOX_IMAGE, layers: [layer], config: { cmd: ["sh"] } },
  ]);
}

/** Writes the system images tarball into dir unless an identical one is there; returns its path. */
export function buildSystemImages(dir: string, opts: SystemImageOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, SYSTEM_IMAGES_FILE);
  const archive = systemImagesArchive(opts);
  if (existsSync(file) && readFileSync(file).equals(archive)) return file;
  writeFileSync(file + ".tmp", archive);
  renameSync(file + ".tmp", file);
  return file;
}
