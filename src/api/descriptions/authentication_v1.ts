/** Descriptions for io.k8s.api.authentication.v1 (src/api/schemas/api_authentication_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, apiVersionText } from "./common.ts";

const A = "io.k8s.api.authentication.v1";

const API_VERSION = apiVersionText("authentication.k8s.io/v1");
const OBJECT_META = "Standard object metadata; these objects are not stored, so it is mostly empty.";

export const descriptions: DescriptionTable = {
  [`${A}.BoundObjectReference`]: {
    "": "The object a requested token is bound to: the token stops being valid once that object is deleted.",
    kind: "The kind of the object: \"Pod\", \"Secret\" or \"Node\".",
    apiVersion: "The group and version of the object, e.g. \"v1\".",
    name: "The name of the object.",
    uid: "The UID of the object; when set, the token is valid only for that exact object.",
  },
  [`${A}.SelfSubjectReview`]: {
    "": "Asks the API server who the caller is: created with an empty body, it returns the user information the request was authenticated as (kubectl auth whoami).",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    status: "The caller's user information; filled in by the server.",
  },
  [`${A}.SelfSubjectReviewStatus`]: {
    "": "The answer of a self subject review.",
    userInfo: "The user name, UID, groups and extra attributes of the caller.",
  },
  [`${A}.TokenRequest`]: {
    "": "Asks for a fresh token of a service account, posted to its token subresource; the token is signed by the API server and expires.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The audiences, lifetime and binding of the token.",
    status: "The issued token; filled in by the server.",
  },
  [`${A}.TokenRequestSpec`]: {
    "": "What token a token request asks for.",
    audiences: "The audiences the token is meant for; a recipient should reject a token whose audiences do not include its own. Defaults to the API server's audiences.",
    expirationSeconds: "The lifetime of the token in seconds; the server may shorten or lengthen it. Defaults to 3600; at least 600.",
    boundObjectRef: "An object the token is bound to; the token becomes invalid when that object is deleted. Unset binds it only to the service account.",
  },
  [`${A}.TokenRequestStatus`]: {
    "": "The token issued for a token request.",
    token: "The signed token (a JWT).",
    expirationTimestamp: "When the token expires.",
  },
  [`${A}.TokenReview`]: {
    "": "Asks the API server to authenticate a token and say whose it is; used by webhooks and proxies that accept Kubernetes tokens.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The token to check.",
    status: "Whether the token is valid and for whom; filled in by the server.",
  },
  [`${A}.TokenReviewSpec`]: {
    "": "What a token review checks.",
    token: "The bearer token to authenticate.",
    audiences: "Audiences the caller accepts; the token must be valid for at least one of them. Unset means the API server's own audiences.",
  },
  [`${A}.TokenReviewStatus`]: {
    "": "The result of a token review.",
    authenticated: "Whether the token is valid.",
    user: "The user the token belongs to, when authenticated.",
    audiences: "The audiences, among those asked for, the token is valid for; when none were asked, the API server's audiences.",
    error: "Why the token could not be checked, if it could not.",
  },
  [`${A}.UserInfo`]: {
    "": "Who a user is, as the authenticator says.",
    username: "The name that identifies the user, e.g. \"system:serviceaccount:default:builder\".",
    uid: "A unique value for the user that stays the same even when names are reused.",
    groups: "The groups the user belongs to, e.g. \"system:authenticated\".",
    extra: "Further attributes the authenticator provides, such as scopes or the service account token's pod.",
  },
};
