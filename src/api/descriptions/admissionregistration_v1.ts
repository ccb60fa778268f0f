/** Descriptions for io.k8s.api.admissionregistration.v1 (src/api/schemas/api_admissionregistration_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, OBJECT_META, apiVersionText } from "./common.ts";

const G = "io.k8s.api.admissionregistration.v1";

const API_VERSION = apiVersionText("admissionregistration.k8s.io/v1");

const OPERATIONS = "The operations that match: CREATE, UPDATE, DELETE, CONNECT, or \"*\" for all.";
const API_GROUPS = "The API groups that match; \"\" is the core group and \"*\" every group.";
const API_VERSIONS = "The API versions that match; \"*\" matches every version.";
const RESOURCES = "The resources that match, e.g. \"pods\", \"pods/status\" for a subresource, \"*\" for all resources or \"*/*\" for all resources and subresources.";
const SCOPE = "Which objects match by scope: \"Cluster\" (cluster-scoped only), \"Namespaced\" (namespaced only) or \"*\". Defaults to \"*\".";

const MATCH_CONDITIONS = "CEL expressions an object must all satisfy before the webhook is called; evaluated after the rules and selectors. At most 64.";
const WEBHOOK_NAME = "The webhook's name, fully qualified, e.g. \"imagepolicy.example.com\"; unique within the configuration.";
const CLIENT_CONFIG = "How the API server reaches the webhook.";
const WEBHOOK_RULES = "The operations on resources that are sent to the webhook; a request matching any rule is sent.";
const FAILURE_POLICY = "What happens when the webhook cannot be reached or errs: \"Fail\" rejects the request, \"Ignore\" lets it through. Defaults to Fail.";
const MATCH_POLICY = "How rules match requests made through another version of the same resource: \"Equivalent\" converts and sends them too, \"Exact\" sends only exact matches. Defaults to Equivalent.";
const NAMESPACE_SELECTOR = "Sends only requests whose object's namespace (or the namespace object itself) has matching labels. An empty selector matches all.";
const OBJECT_SELECTOR = "Sends only requests whose object (old or new) has matching labels. An empty selector matches all.";
const SIDE_EFFECTS = "Whether calling the webhook changes anything outside the object: \"None\" or \"NoneOnDryRun\" (changes only for non-dry-run requests). Dry-run requests are rejected for other values.";
const TIMEOUT = "Seconds to wait for the webhook before applying the failure policy; between 1 and 30. Defaults to 10.";
const REVIEW_VERSIONS = "The AdmissionReview versions the webhook accepts, in order of preference, e.g. [\"v1\"]; the API server uses the first it supports.";

export const descriptions: DescriptionTable = {
  [`${G}.AuditAnnotation`]: {
    "": "An audit annotation a validating admission policy adds to the audit event of a request it checks.",
    key: "The annotation key; combined with the policy name as \"<policy>/<key>\". Unique within the policy; at most 63 characters.",
    valueExpression: "A CEL expression giving the annotation value as a string; null or an empty string omits the annotation.",
  },
  [`${G}.ExpressionWarning`]: {
    "": "A type-check warning about one expression of a validating admission policy.",
    fieldRef: "The path of the field holding the expression, e.g. \"spec.validations[0].expression\".",
    warning: "What the type check found, in human-readable form.",
  },
  [`${G}.MatchCondition`]: {
    "": "A named CEL expression that must be true for a request to be sent to a webhook or checked by a policy.",
    name: "Identifies the condition in logs and errors; unique within its list.",
    expression: "The CEL expression, returning a bool; it can use object, oldObject, request and authorizer.",
  },
  [`${G}.MatchResources`]: {
    "": "Which requests a validating admission policy or binding applies to: a request must match the rules and both selectors and not be excluded.",
    namespaceSelector: NAMESPACE_SELECTOR,
    objectSelector: OBJECT_SELECTOR,
    resourceRules: "The operations on resources that match.",
    excludeResourceRules: "Operations on resources that never match, even when resourceRules would.",
    matchPolicy: MATCH_POLICY,
  },
  [`${G}.MutatingWebhook`]: {
    "": "One mutating admission webhook: which requests it receives and how it is called. It may change the object it is sent.",
    name: WEBHOOK_NAME,
    clientConfig: CLIENT_CONFIG,
    rules: WEBHOOK_RULES,
    failurePolicy: FAILURE_POLICY,
    matchPolicy: MATCH_POLICY,
    namespaceSelector: NAMESPACE_SELECTOR,
    objectSelector: OBJECT_SELECTOR,
    sideEffects: SIDE_EFFECTS,
    timeoutSeconds: TIMEOUT,
    admissionReviewVersions: REVIEW_VERSIONS,
    reinvocationPolicy: "\"IfNeeded\" calls the webhook once more when a later mutation changed the object after it; \"Never\" calls it once. Defaults to Never.",
    matchConditions: MATCH_CONDITIONS,
  },
  [`${G}.MutatingWebhookConfiguration`]: {
    "": "A set of mutating admission webhooks, called in order before validation.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    webhooks: "The webhooks and what they receive.",
  },
  [`${G}.MutatingWebhookConfigurationList`]: {
    "": "A list of MutatingWebhookConfigurations.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The MutatingWebhookConfigurations.",
  },
  [`${G}.NamedRuleWithOperations`]: {
    "": "A rule over operations and resources, optionally limited to named objects.",
    resourceNames: "When set, only objects with these names match. Empty matches every name.",
    operations: OPERATIONS,
    apiGroups: API_GROUPS,
    apiVersions: API_VERSIONS,
    resources: RESOURCES,
    scope: SCOPE,
  },
  [`${G}.ParamKind`]: {
    "": "The kind of object a validating admission policy takes its parameters from.",
    apiVersion: "The group/version of the parameter kind, e.g. \"v1\" or \"example.com/v1\".",
    kind: "The kind of the parameter objects, e.g. \"ConfigMap\".",
  },
  [`${G}.ParamRef`]: {
    "": "How a policy binding finds the parameter objects of its policy: by name or by label selector, exactly one of the two.",
    name: "The name of the one parameter object to use.",
    namespace: "The namespace of the parameter objects; unset means the namespace of the request (or cluster-scoped parameters).",
    selector: "Label query over parameter objects; the policy is checked once against each match. An empty selector matches all of the kind.",
    parameterNotFoundAction: "What happens when no parameter object is found: \"Allow\" admits the request, \"Deny\" applies the policy's failure policy. Required.",
  },
  [`${G}.Rule`]: {
    "": "A set of resources by group, version and name.",
    apiGroups: API_GROUPS,
    apiVersions: API_VERSIONS,
    resources: RESOURCES,
    scope: SCOPE,
  },
  [`${G}.RuleWithOperations`]: {
    "": "A rule over operations and resources: a request matches when its operation and resource both do.",
    operations: OPERATIONS,
    apiGroups: API_GROUPS,
    apiVersions: API_VERSIONS,
    resources: RESOURCES,
    scope: SCOPE,
  },
  [`${G}.ServiceReference`]: {
    "": "A service in the cluster that serves a webhook over HTTPS.",
    namespace: "The namespace of the service.",
    name: "The name of the service.",
    path: "The URL path requests are sent to.",
    port: "The service port to call, between 1 and 65535. Defaults to 443.",
  },
  [`${G}.TypeChecking`]: {
    "": "The result of type-checking a validating admission policy's expressions.",
    expressionWarnings: "Warnings for the expressions that failed the type check.",
  },
  [`${G}.ValidatingAdmissionPolicy`]: {
    "": "Checks requests with CEL expressions inside the API server, without a webhook; it acts only where a ValidatingAdmissionPolicyBinding applies it.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "What the policy matches and checks.",
    status: "The result of checking the policy itself; written by the system.",
  },
  [`${G}.ValidatingAdmissionPolicyBinding`]: {
    "": "Applies a validating admission policy to a set of requests, with its parameters and the actions on failure.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The policy, the parameters and the requests it is applied to.",
  },
  [`${G}.ValidatingAdmissionPolicyBindingList`]: {
    "": "A list of ValidatingAdmissionPolicyBindings.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The ValidatingAdmissionPolicyBindings.",
  },
  [`${G}.ValidatingAdmissionPolicyBindingSpec`]: {
    "": "What a policy binding applies, to what, and how failures are enforced.",
    policyName: "The name of the ValidatingAdmissionPolicy to apply; a missing policy makes the binding do nothing.",
    paramRef: "Where the policy's parameters come from; required when the policy has a paramKind.",
    matchResources: "Narrows the requests the policy is applied to, within the policy's own matchConstraints. Unset applies to all those the policy matches.",
    validationActions: "What a failed validation does: \"Deny\" rejects the request, \"Warn\" returns a warning to the client, \"Audit\" records it in the audit event. Deny and Warn cannot be combined.",
  },
  [`${G}.ValidatingAdmissionPolicyList`]: {
    "": "A list of ValidatingAdmissionPolicies.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The ValidatingAdmissionPolicies.",
  },
  [`${G}.ValidatingAdmissionPolicySpec`]: {
    "": "What a validating admission policy matches and checks.",
    paramKind: "The kind of the objects that parameterize the policy. Unset means the policy takes no parameters.",
    matchConstraints: "The requests the policy may apply to; a binding can only narrow them. Required.",
    validations: "CEL checks a request must pass; each failure is handled by the binding's validationActions.",
    failurePolicy: "What happens when the policy cannot be evaluated (bad expression, missing parameters): \"Fail\" rejects, \"Ignore\" admits. Defaults to Fail.",
    auditAnnotations: "Annotations added to the audit event of every request the policy checks.",
    matchConditions: "CEL expressions a request must all satisfy to be checked; requests failing one are skipped. At most 64.",
    variables: "Named CEL expressions, evaluated once and usable as variables.<name> in the other expressions, in order.",
  },
  [`${G}.ValidatingAdmissionPolicyStatus`]: {
    "": "The observed state of a validating admission policy.",
    observedGeneration: "The generation the type check was made for.",
    typeChecking: "The result of type-checking the policy's expressions.",
    conditions: "The latest observations of the policy's state.",
  },
  [`${G}.ValidatingWebhook`]: {
    "": "One validating admission webhook: which requests it receives and how it is called. It may only accept or reject.",
    name: WEBHOOK_NAME,
    clientConfig: CLIENT_CONFIG,
    rules: WEBHOOK_RULES,
    failurePolicy: FAILURE_POLICY,
    matchPolicy: MATCH_POLICY,
    namespaceSelector: NAMESPACE_SELECTOR,
    objectSelector: OBJECT_SELECTOR,
    sideEffects: SIDE_EFFECTS,
    timeoutSeconds: TIMEOUT,
    admissionReviewVersions: REVIEW_VERSIONS,
    matchConditions: MATCH_CONDITIONS,
  },
  [`${G}.ValidatingWebhookConfiguration`]: {
    "": "A set of validating admission webhooks, called in parallel after mutation; any one can reject a request.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    webhooks: "The webhooks and what they receive.",
  },
  [`${G}.ValidatingWebhookConfigurationList`]: {
    "": "A list of ValidatingWebhookConfigurations.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The ValidatingWebhookConfigurations.",
  },
  [`${G}.Validation`]: {
    "": "One CEL check of a validating admission policy.",
    expression: "The CEL expression, returning true when the request is valid; it can use object, oldObject, request, params, namespaceObject, variables and authorizer.",
    message: "The message returned when the check fails. Defaults to a message naming the expression.",
    reason: "The reason returned when the check fails, e.g. \"Unauthorized\", \"Forbidden\", \"Invalid\" or \"RequestEntityTooLarge\". Defaults to Invalid.",
    messageExpression: "A CEL expression that builds the failure message; used instead of message when it yields a non-empty string.",
  },
  [`${G}.Variable`]: {
    "": "A named CEL expression whose value other expressions of the policy can use.",
    name: "The variable's name, used as variables.<name>; a valid CEL identifier, unique within the policy.",
    expression: "The CEL expression that gives the value; evaluated lazily, at most once per request.",
  },
  [`${G}.WebhookClientConfig`]: {
    "": "How to reach a webhook over TLS: by URL or through a service, exactly one of the two.",
    url: "The webhook's address as https://host[:port]/path, for webhooks outside the cluster. No user, query or fragment.",
    service: "A service in the cluster that serves the webhook.",
    caBundle: "PEM-encoded CA certificates that verify the webhook's serving certificate. Unset uses the system's trust roots.",
  },
};
