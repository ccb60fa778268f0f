/** RBAC: the authorizer, aggregation, the bootstrap policy and its reconciliation. */
export { createRbacAuthorizer, SUPERUSER_GROUP } from "./authorizer.ts";
export { subjectMatches } from "./snapshot.ts";
export type { RbacAuthorizer, RbacAuthorizerOptions, SubjectRules } from "./authorizer.ts";
export { aggregateClusterRoles, resolveClusterRoleRules } from "./aggregation.ts";
export { AUTOUPDATE_ANNOTATION, bootstrapPolicy } from "./policy.ts";
export type { BootstrapPolicyOptions } from "./policy.ts";
export { reconcilePolicy } from "./reconcile.ts";
export type { PolicyChanges } from "./reconcile.ts";
export { labelSelectorMatches, ruleAllows } from "./rules.ts";
export type { AggregationRule, BindingObject, LabelSelector, PolicyRule, RbacLister, RoleObject, RoleRef, Subject } from "./types.ts";
export { checkRbacEscalation, uncoveredRules, withEscalationChecks } from "./escalation.ts";
export type { EscalationCheck } from "./escalation.ts";
export { createRbacInformers } from "./informers.ts";
export type { RbacInformers } from "./informers.ts";
export { startClusterRoleAggregation } from "./aggregationcontroller.ts";
export type { AggregationController, AggregationControllerOptions } from "./aggregationcontroller.ts";
