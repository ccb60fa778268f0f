/** Descriptions for io.k8s.kube-aggregator.pkg.apis.apiregistration.v1 (src/api/schemas/kube_aggregator_apiregistration_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { COND_MESSAGE, COND_STATUS, COND_TRANSITION, KIND, LIST_META, apiVersionText } from "./common.ts";

const R = "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1";

const API_VERSION = apiVersionText("apiregistration.k8s.io/v1");

export const descriptions: DescriptionTable = {
  [`${R}.APIService`]: {
    "": "Serves one group/version of the API, either locally or by proxying to an extension API server behind a service (e.g. metrics.k8s.io); named <version>.<group>.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: "Standard object metadata; the name must be <version>.<group>.",
    spec: "Where the group/version is served and how it is ordered in discovery.",
    status: "Whether the group/version is available; written by the system.",
  },
  [`${R}.APIServiceCondition`]: {
    "": "One aspect of an API service's state at a point in time, such as Available.",
    type: "The kind of condition, e.g. Available.",
    status: COND_STATUS,
    lastTransitionTime: COND_TRANSITION,
    reason: "A short CamelCase word that says why the condition last changed, e.g. \"FailedDiscoveryCheck\".",
    message: COND_MESSAGE,
  },
  [`${R}.APIServiceList`]: {
    "": "A list of APIServices.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The APIServices.",
  },
  [`${R}.APIServiceSpec`]: {
    "": "Where an API group/version is served and its place in discovery.",
    service: "The service in front of the extension API server. Unset means the group/version is served by this API server itself.",
    group: "The API group served, e.g. \"metrics.k8s.io\".",
    version: "The API version served, e.g. \"v1beta1\".",
    insecureSkipTLSVerify: "When true, the serving certificate of the extension server is not verified. Discouraged; use caBundle.",
    caBundle: "PEM-encoded CA certificates that verify the extension server's serving certificate.",
    groupPriorityMinimum: "How high the group sorts in discovery; higher first. The group's order is the highest value among its versions. Between 1 and 20000; built-in groups use values like 18000.",
    versionPriority: "How high this version sorts within its group; higher first, ties broken by version name (GA before beta before alpha). Must be above 0.",
  },
  [`${R}.APIServiceStatus`]: {
    "": "The observed state of an API service.",
    conditions: "The latest observations of the API service's state.",
  },
  [`${R}.ServiceReference`]: {
    "": "The service in front of an extension API server, which the aggregator proxies to over HTTPS.",
    namespace: "The namespace of the service.",
    name: "The name of the service.",
    port: "The service port to call, between 1 and 65535. Defaults to 443.",
  },
};
