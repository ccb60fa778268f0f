/**
 * The certificate admission plugins (upstream plugin/pkg/admission/
 * certificates/{approval,signing,subjectrestriction}):
 * - CertificateApproval: writing certificatesigningrequests/approval needs
 *   "approve" on the CSR's signer;
 * - CertificateSigning: changing status.certificate needs "sign" on it;
 * - CertificateSubjectRestriction: a kube-apiserver-client CSR may not ask
 *   for the system:masters group.
 */
import type { Client } from "../../../client/client.ts";
import { parseCSR } from "../../../server/pki/mod.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { admissionForbidden } from "./common.ts";
import { authorizedForSigner, isCSR, type CertificateSigningRequest } from "./signerauth.ts";

const KUBE_APISERVER_CLIENT = "kubernetes.io/kube-apiserver-client";

export interface CertificateAdmissionOptions {
  /** asks the authorizer through SubjectAccessReviews */
  client: Client;
}

const signerOf = (csr: CertificateSigningRequest | undefined): string => csr?.spec?.signerName ?? "";

/** Creates the CertificateApproval admission plugin. */
export function certificateApprovalAdmission(opts: CertificateAdmissionOptions): AdmissionHook {
  return {
    async mutate(): Promise<void> {},
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "UPDATE" || !isCSR(attrs, "approval") || !attrs.object) return;
      const signerName = signerOf(attrs.object as CertificateSigningRequest);
      if (await authorizedForSigner(opts.client, { user: attrs.user, verb: "approve", signerName })) return;
      throw admissionForbidden(attrs, `user not permitted to approve requests with signerName ${JSON.stringify(signerName)}`);
    },
  };
}

/** Creates the CertificateSigning admission plugin. */
export function certificateSigningAdmission(opts: CertificateAdmissionOptions): AdmissionHook {
  return {
    async mutate(): Promise<void> {},
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "UPDATE" || !isCSR(attrs, "status") || !attrs.object || !attrs.oldObject) return;
      const old = attrs.oldObject as CertificateSigningRequest;
      // conditions alone may change freely; only issuing (or changing) the certificate is signing
      if ((old.status?.certificate ?? "") === ((attrs.object as CertificateSigningRequest).status?.certificate ?? "")) return;
      const signerName = signerOf(old);
      if (await authorizedForSigner(opts.client, { user: attrs.user, verb: "sign", signerName })) return;
      throw admissionForbidden(attrs, `user not permitted to sign requests with signerName ${JSON.stringify(signerName)}`);
    },
  };
}

/** Creates the CertificateSubjectRestriction admission plugin. */
export function certificateSubjectRestrictionAdmission(): AdmissionHook {
  return {
    async mutate(): Promise<void> {},
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "CREATE" || !isCSR(attrs, "") || !attrs.object) return;
      const csr = attrs.object as CertificateSigningRequest;
      if (signerOf(csr) !== KUBE_APISERVER_CLIENT) return;
      let groups: string[];
      try {
        groups = parseCSR(Buffer.from(csr.spec?.request ?? "", "base64").toString("utf8")).subject.o ?? [];
      } catch (err) {
        throw admissionForbidden(attrs, `failed to parse CSR: ${(err as Error).message}`);
      }
      if (groups.includes("system:masters")) {
        throw admissionForbidden(attrs, `use of ${KUBE_APISERVER_CLIENT} signer with system:masters group is not allowed`);
      }
    },
  };
}
