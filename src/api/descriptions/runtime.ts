/** Descriptions for io.k8s.apimachinery.pkg.runtime (src/api/schemas/apimachinery_pkg_runtime.ts). */
import type { DescriptionTable } from "./table.ts";

const R = "io.k8s.apimachinery.pkg.runtime";

export const descriptions: DescriptionTable = {
  [`${R}.RawExtension`]: { "": "An embedded object of any kind, kept as its serialized form; it should carry its own kind and apiVersion." },
  [`${R}.TypeMeta`]: {
    "": "The kind and API version of an object whose body is carried undecoded.",
    apiVersion: "The API group and version of the carried object.",
    kind: "The kind of the carried object.",
  },
  [`${R}.Unknown`]: { "": "An object the receiver did not decode, kept as raw bytes with its kind, version and content type." },
};
