/** Descriptions for io.k8s.api.authorization.v1 (src/api/schemas/api_authorization_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, apiVersionText } from "./common.ts";

const Z = "io.k8s.api.authorization.v1";

const API_VERSION = apiVersionText("authorization.k8s.io/v1");
const OBJECT_META = "Standard object metadata; these objects are not stored, so it is mostly empty.";
const ACCESS_STATUS = "The decision; filled in by the server.";
const RESOURCE_ATTRS = "The resource request to check; set exactly one of resourceAttributes and nonResourceAttributes.";
const NON_RESOURCE_ATTRS = "The non-resource request to check; set exactly one of resourceAttributes and nonResourceAttributes.";
const RAW_SELECTOR = "The selector as written in a query string; only for authorizers that parse it themselves. Do not set it together with requirements.";

export const descriptions: DescriptionTable = {
  [`${Z}.FieldSelectorAttributes`]: {
    "": "The field selector of a list or watch request being authorized, for authorizers that can limit access by it.",
    rawSelector: RAW_SELECTOR,
    requirements: "The parsed requirements of the field selector.",
  },
  [`${Z}.LabelSelectorAttributes`]: {
    "": "The label selector of a list or watch request being authorized, for authorizers that can limit access by it.",
    rawSelector: RAW_SELECTOR,
    requirements: "The parsed requirements of the label selector.",
  },
  [`${Z}.LocalSubjectAccessReview`]: {
    "": "Asks whether a user or group may do something in one namespace; created in that namespace, so namespace admins may ask it.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: "Standard object metadata; the namespace is the one the question is about.",
    spec: "Who is asking to do what; the namespace of resourceAttributes must be empty or the review's namespace.",
    status: ACCESS_STATUS,
  },
  [`${Z}.NonResourceAttributes`]: {
    "": "A request for a URL path that is not a resource, as the authorizer sees it.",
    path: "The URL path, e.g. \"/healthz\".",
    verb: "The lower-case HTTP verb, e.g. \"get\".",
  },
  [`${Z}.NonResourceRule`]: {
    "": "Verbs a subject may use on non-resource URLs.",
    verbs: "The allowed verbs, e.g. \"get\"; \"*\" allows all.",
    nonResourceURLs: "The URL paths the verbs apply to; a trailing \"*\" matches a prefix.",
  },
  [`${Z}.ResourceAttributes`]: {
    "": "A request on a resource, as the authorizer sees it.",
    namespace: "The namespace of the object; \"\" means every namespace for namespaced resources and none for cluster-scoped ones. A LocalSubjectAccessReview fills in its own namespace.",
    verb: "The API verb, e.g. get, list, watch, create, update, patch, delete, or \"*\" for all.",
    group: "The API group of the resource; \"\" is the core group and \"*\" all.",
    version: "The API version of the resource; \"*\" means all.",
    resource: "The resource, e.g. \"pods\"; \"*\" means all.",
    subresource: "The subresource, e.g. \"log\"; \"\" means none.",
    name: "The name of the object; \"\" means all objects (as for list, watch or create).",
    fieldSelector: "The field selector of a list or watch request, for authorizers that consider it.",
    labelSelector: "The label selector of a list or watch request, for authorizers that consider it.",
  },
  [`${Z}.ResourceRule`]: {
    "": "Verbs a subject may use on some resources.",
    verbs: "The allowed verbs; \"*\" allows all.",
    apiGroups: "The API groups of the resources; \"\" is the core group and \"*\" all.",
    resources: "The resources, e.g. \"pods\" or \"pods/log\"; \"*\" means all.",
    resourceNames: "When set, only objects with these names; \"*\" means all names.",
  },
  [`${Z}.SelfSubjectAccessReview`]: {
    "": "Asks whether the caller may do something (kubectl auth can-i); anyone may ask it about themselves.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "What the caller wants to do.",
    status: ACCESS_STATUS,
  },
  [`${Z}.SelfSubjectAccessReviewSpec`]: {
    "": "What the caller of a self subject access review wants to do.",
    resourceAttributes: RESOURCE_ATTRS,
    nonResourceAttributes: NON_RESOURCE_ATTRS,
  },
  [`${Z}.SelfSubjectRulesReview`]: {
    "": "Lists what the caller may do in one namespace (kubectl auth can-i --list). Meant for user interfaces, not for authorization decisions.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The namespace to list the rules for.",
    status: "The rules found; filled in by the server.",
  },
  [`${Z}.SelfSubjectRulesReviewSpec`]: {
    "": "What a self subject rules review asks about.",
    namespace: "The namespace to list the caller's rules in.",
  },
  [`${Z}.SubjectAccessReview`]: {
    "": "Asks whether a given user or group may do something; used by webhooks and proxies that delegate authorization to the API server.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "Who is asking to do what.",
    status: ACCESS_STATUS,
  },
  [`${Z}.SubjectAccessReviewSpec`]: {
    "": "Who is asking to do what. Set a user or groups (or both), and exactly one of resourceAttributes and nonResourceAttributes.",
    resourceAttributes: RESOURCE_ATTRS,
    nonResourceAttributes: NON_RESOURCE_ATTRS,
    user: "The user to check for. With groups unset, it is checked as a user with no groups.",
    groups: "The groups to check for.",
    extra: "Extra attributes of the user, as an authenticator would provide them.",
    uid: "The UID of the user.",
  },
  [`${Z}.SubjectAccessReviewStatus`]: {
    "": "The decision of an access review.",
    allowed: "Whether the action is allowed.",
    denied: "Whether some authorizer explicitly denied the action; false with allowed false means no opinion was given.",
    reason: "Why the action is allowed or denied, when the authorizer says.",
    evaluationError: "An error met while deciding; an authorizer can err and still allow the action.",
  },
  [`${Z}.SubjectRulesReviewStatus`]: {
    "": "The rules a subject has in a namespace; may be partial, depending on the authorizers.",
    resourceRules: "The verbs allowed on resources.",
    nonResourceRules: "The verbs allowed on non-resource URLs.",
    incomplete: "True when some authorizer cannot list its rules (such as a webhook), so the lists may miss rules.",
    evaluationError: "An error met while listing the rules; the lists may still be useful.",
  },
};
