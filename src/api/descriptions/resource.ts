/** Descriptions for io.k8s.apimachinery.pkg.api.resource (src/api/schemas/apimachinery_resource.ts). */
import type { DescriptionTable } from "./table.ts";

export const descriptions: DescriptionTable = {
  "io.k8s.apimachinery.pkg.api.resource.Quantity": {
    "": "An amount written as a number with an optional suffix: binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (k, M, G, T, P, E, or m for thousandths) or an exponent (1e3). Examples: 100m, 512Mi, 2.",
  },
};
