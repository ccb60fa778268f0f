/** Certificates and keys: the server's PKI, a CA signer, and CSR parsing. */
export { addressInCIDR, ensureServerPKI, firstServiceIPs, servingSANs } from "./server.ts";
export type { ServerPKI, ServiceAccountKey } from "./server.ts";
export { ensureCA, ensureKey, ensureLeaf, staleReason, RENEW_BEFORE_DAYS } from "./ensure.ts";
export type { CAFileOptions, CertFiles, LeafOptions } from "./ensure.ts";
export { certificateSANs, createSelfSignedCA, normalizeIP, parseCertificate, signCertificate } from "./x509.ts";
export type { CAOptions, CertificateAuthority, ExtUsage, ParsedCertificate, SignOptions, Subject } from "./x509.ts";
export { createCSR, parseCSR } from "./csr.ts";
export type { CertificateRequest, CSROptions } from "./csr.ts";
export { generateKey, parsePrivateKey, privateKeyPEM } from "./keys.ts";
export type { KeyKind } from "./keys.ts";
export { ensurePrivateDir, readIfExists, writeFileAtomic } from "./files.ts";
export type { WriteOptions } from "./files.ts";
