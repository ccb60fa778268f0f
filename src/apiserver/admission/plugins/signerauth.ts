/**
 * What CertificateApproval and CertificateSigning share (upstream's
 * plugin/pkg/admission/certificates IsAuthorizedForSignerName): may the user
 * "approve" or "sign" for a signer, either by its exact name or by the
 * "<domain>/*" wildcard, on certificates.k8s.io/signers. The question goes
 * through a SubjectAccessReview, so the plugins need only the API client.
 */
import type { KubeObject, UserInfo } from "../../../api/types.ts";
import type { Client, ResourceRef } from "../../../client/client.ts";
import type { AdmissionAttributes } from "../../rest/context.ts";

const SUBJECT_ACCESS_REVIEWS: ResourceRef = { group: "authorization.k8s.io", version: "v1", resource: "subjectaccessreviews", namespaced: false };

/** The CSR fields the certificate plugins read. */
export interface CertificateSigningRequest extends KubeObject {
  spec?: { signerName?: string; request?: string };
  status?: { certificate?: string };
}

/** Whether the request is for the given subresource of certificatesigningrequests. */
export function isCSR(attrs: AdmissionAttributes, subresource: string): boolean {
  return attrs.kind.group === "certificates.k8s.io" && attrs.kind.resource === "certificatesigningrequests" && attrs.subresource === subresource;
}

async function allowed(client: Client, user: UserInfo, verb: string, name: string): Promise<boolean> {
  const review: KubeObject = {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SubjectAccessReview",
    metadata: {},
    spec: {
      user: user.username,
      groups: user.groups,
      ...(user.uid ? { uid: user.uid } : {}),
      ...(user.extra ? { extra: user.extra } : {}),
      resourceAttributes: { verb, group: "certificates.k8s.io", version: "*", resource: "signers", name },
    },
  };
  try {
    const answer = await client.create(SUBJECT_ACCESS_REVIEWS, undefined, review);
    return (answer.status as { allowed?: boolean } | undefined)?.allowed === true;
  } catch {
    // upstream counts an authorizer error as "not allowed"
    return false;
  }
}

/** Whether `user` may `verb` for `signerName` (exact name first, then "<domain>/*"). */
export async function authorizedForSigner(client: Client, req: { user: UserInfo; verb: "approve" | "sign"; signerName: string }): Promise<boolean> {
  if (await allowed(client, req.user, req.verb, req.signerName)) return true;
  const domain = req.signerName.split("/")[0];
  return allowed(client, req.user, req.verb, `${domain}/*`);
}
