/**
 * Upstream's (1.32) validation of the built-in kinds besides Pod and Service,
 * one module per API group; the kinds in src/api/kinds call these from their
 * validate hooks. Each returns every FieldError at fault, worded as upstream.
 */
export { validateControllerRevision, validateDaemonSet, validateDeployment, validateReplicaSet, validateStatefulSet } from "./apps.ts";
export { validateCronJob, validateJob } from "./batch.ts";
export { validateIngress, validateIngressClass, validateNetworkPolicy } from "./networking.ts";
export { validateHorizontalPodAutoscaler, validateHorizontalPodAutoscalerV1 } from "./autoscaling.ts";
export { validatePodDisruptionBudget } from "./policy.ts";
export { validateConfigMap, validateSecret } from "./configdata.ts";
export { validateEndpoints, validateLimitRange, validateNamespace, validateNode, validateResourceQuota } from "./core.ts";
export { validateEvent, validateEventsV1 } from "./events.ts";
export { validatePersistentVolume, validatePersistentVolumeClaim } from "./volumes.ts";
export { validateReplicationController } from "./replication.ts";
export { csiDriverName, validateCSIDriver, validateStorageClass, validateVolumeAttachment } from "./storage.ts";
export { validateBinding, validateRole, type BindingRules } from "./rbac.ts";
export { validateCertificateSigningRequest, validateCertificateSigningRequestStatus } from "./certificates.ts";
export { validateEndpointSlice } from "./discovery.ts";
export { validatePriorityClass } from "./scheduling.ts";
export { validateWebhookConfiguration } from "./admission.ts";
export { validateRuntimeClass } from "./runtime.ts";
export { validateDaemonSetStatus, validateDeploymentStatus, validateJobStatus, validateReplicaSetStatus, validateStatefulSetStatus } from "./workloadstatus.ts";
