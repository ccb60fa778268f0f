/**
 * Image references split and normalised as containerd's CRI plugin names
 * them: "busybox:1" is docker.io/library/busybox:1, no tag means latest, and
 * a digest wins over a tag.
 */

/** A normalised image reference. */
export interface ImageReference {
  /** registry host[:port], docker.io for short names */
  domain: string;
  /** repository path inside the registry, e.g. library/busybox */
  path: string;
  /** ":<tag>" or "@<digest>" */
  suffix: string;
}

/** Splits an image reference into registry, repository path and tag/digest suffix. */
export function parseReference(image: string): ImageReference {
  let rest = image;
  let digest = "";
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at);
    rest = rest.slice(0, at);
  }
  let tag = "";
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  const hasDomain = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let domain = hasDomain ? first : "docker.io";
  let path = hasDomain ? rest.slice(slash + 1) : rest;
  if (domain === "index.docker.io") domain = "docker.io";
  if (domain === "docker.io" && !path.includes("/")) path = `library/${path}`;
  if (!path || path !== path.toLowerCase()) throw new Error(`invalid image reference ${JSON.stringify(image)}`);
  return { domain, path, suffix: digest || tag || ":latest" };
}

/** The full reference text: domain/path followed by the tag or digest. */
export function formatReference(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}${ref.suffix}`;
}
