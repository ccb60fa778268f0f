/** Descriptions for io.k8s.apimachinery.pkg.util.intstr (src/api/schemas/apimachinery_pkg_util_intstr.ts). */
import type { DescriptionTable } from "./table.ts";

export const descriptions: DescriptionTable = {
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { "": "A value written either as an integer or as a string, such as 8080 or \"http\", or 1 or \"25%\"." },
};
