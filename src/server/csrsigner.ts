/** Signs approved CertificateSigningRequests with the cluster CAs, as kube-controller-manager's signers do. */
import type { CSRSignRequest } from "../controllers/util/context.ts";
import { parseCSR, signCertificate, type ServerPKI } from "./pki/mod.ts";

const DAY = 86_400;

/** A signCSR callback for the controller manager: client signers use the client CA, kubelet-serving the server CA. */
export function csrSigner(pki: ServerPKI): (req: CSRSignRequest) => Promise<string> {
  return async (req) => {
    const csr = parseCSR(req.requestPEM);
    const serving = req.signerName === "kubernetes.io/kubelet-serving";
    const client = req.signerName === "kubernetes.io/kube-apiserver-client" || req.signerName === "kubernetes.io/kube-apiserver-client-kubelet";
    if (!serving && !client) throw new Error(`signer ${req.signerName} is not served by this cluster`);
    const ca = serving ? pki.serverCA : pki.clientCA;
    // upstream caps at the signer's duration (a year) and honours shorter asks
    const days = Math.max(1, Math.min(365, Math.floor((req.expirationSeconds ?? 365 * DAY) / DAY)));
    return signCertificate(
      { certPEM: ca.certPEM, keyPEM: ca.keyPEM },
      { publicKey: csr.publicKey, subject: csr.subject, sans: serving ? csr.sans : [], usages: [serving ? "server" : "client"], days },
    );
  };
}
