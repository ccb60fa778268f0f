/** Pod validation as upstream's pkg/apis/core/validation, one module per part of the pod; this is the folder's surface. */
export { validatePodSpec, validatePodOnly, validatePodCreate, validateTemplateOnly, type PodSpecOptions } from "./podspec.ts";
export { validatePodSpecUpdate } from "./update.ts";
export { validateEphemeralContainersUpdate } from "./ephemeral.ts";
export { validateResources } from "./resources.ts";
export { validateTolerations, validateTaints } from "./tolerations.ts";
export { validateNodeSelector, validateNodeSelectorTerm } from "./affinity.ts";
export { validateAnnotationsMatchFields, validatePodAnnotations, validatePodAnnotationsUpdate } from "./annotations.ts";
export { validatePodStatus } from "./status.ts";
