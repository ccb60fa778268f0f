/** Descriptions for io.k8s.api.certificates.v1 (src/api/schemas/api_certificates_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, apiVersionText } from "./common.ts";

const C = "io.k8s.api.certificates.v1";

const API_VERSION = apiVersionText("certificates.k8s.io/v1");

export const descriptions: DescriptionTable = {
  [`${C}.CertificateSigningRequest`]: {
    "": "A request for an X.509 certificate from a named signer; once approved, the signer issues the certificate into its status. Used e.g. by kubelets for their client and serving certificates.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: "Standard object metadata: name, labels, annotations and the server-set fields.",
    spec: "The certificate request and the signer; cannot be changed after creation.",
    status: "The approval conditions and the issued certificate.",
  },
  [`${C}.CertificateSigningRequestCondition`]: {
    "": "One step in the life of a certificate request: approved, denied or failed.",
    type: "\"Approved\" or \"Denied\" (set through the approval subresource) or \"Failed\" (set by the signer). Approved and Denied exclude each other.",
    status: "Whether the condition holds: \"True\" or \"False\". Approved, Denied and Failed must be True.",
    reason: "A short CamelCase word that says why, e.g. \"AutoApproved\".",
    message: "A human-readable explanation.",
    lastUpdateTime: "When the condition was last written.",
    lastTransitionTime: "When the condition last changed its status. The server sets it to the current time when unset.",
  },
  [`${C}.CertificateSigningRequestList`]: {
    "": "A list of CertificateSigningRequests.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The CertificateSigningRequests.",
  },
  [`${C}.CertificateSigningRequestSpec`]: {
    "": "What certificate is asked for, from which signer, and by whom.",
    request: "The PKCS#10 certificate request, PEM-encoded (base64 in JSON).",
    signerName: "The signer that should sign the certificate, e.g. \"kubernetes.io/kube-apiserver-client\", \"kubernetes.io/kube-apiserver-client-kubelet\" or \"kubernetes.io/kubelet-serving\".",
    expirationSeconds: "The requested validity of the certificate in seconds; the signer may issue a shorter one. At least 600.",
    usages: "The key usages requested, e.g. \"client auth\", \"server auth\", \"digital signature\", \"key encipherment\".",
    username: "The user who created the request; set by the server.",
    uid: "The UID of the user who created the request; set by the server.",
    groups: "The groups of the user who created the request; set by the server.",
    extra: "Extra attributes of the user who created the request; set by the server.",
  },
  [`${C}.CertificateSigningRequestStatus`]: {
    "": "The state of a certificate request.",
    conditions: "Whether the request was approved, denied or failed.",
    certificate: "The issued certificate chain, PEM-encoded (base64 in JSON), set by the signer after approval; empty until then.",
  },
};
