/** kube-apiserver's built-in admission plugins (LimitRanger, ServiceAccount, NodeRestriction, PodSecurity, ResourceQuota), their chaining with other hooks, the resource quota controller and the Node authorizer's informer-backed graph. */
export { chainAdmission } from "./chain.ts";
export { createBuiltinAdmission, type BuiltinAdmission, type BuiltinAdmissionOptions, type BuiltinPluginName } from "./builtin.ts";
export { serviceAccountAdmission, mountServiceAccountToken, tokenVolumeSource, SERVICE_ACCOUNT_MOUNT_PATH, type ServiceAccountAdmissionOptions } from "./serviceaccount.ts";
export { limitRangerAdmission, type LimitRangerOptions, type LimitRangeItem } from "./limitranger.ts";
export { resourceQuotaAdmission, type ResourceQuotaAdmissionOptions } from "./resourcequota.ts";
export { startResourceQuotaController, computeUsage, type ResourceQuotaController, type ResourceQuotaControllerOptions } from "./quotacontroller.ts";
export { podSecurityAdmission, modePolicy, type PodSecurityOptions, type ModePolicy } from "./podsecurity.ts";
export { evaluatePod, type Level as PodSecurityLevel, type CheckResult } from "./podsecuritychecks.ts";
export { nodeRestrictionAdmission, kubeletMaySetLabel, type NodeRestrictionOptions } from "./noderestriction.ts";
export { nodeGraph, type InformerNodeGraph, type NodeGraphOptions } from "./nodegraph.ts";
export { canonical as canonicalQuantity, formatQuantity, parseQuantity as parseExactQuantity } from "./quantity.ts";
export type { WarningSink } from "./common.ts";
