/** certificates.k8s.io/v1 CertificateSigningRequest validation as upstream's pkg/apis/certificates/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asArray, asNumber, asString } from "../access.ts";
import { duplicate, forbidden, invalid, notSupported, required } from "../validation.ts";
import { specOf, unchanged } from "./common.ts";

/** Every key usage upstream knows (KeyUsage constants), sorted as its error lists them. */
const USAGES = ["any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature",
  "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc",
  "ocsp signing", "s/mime", "server auth", "signing", "timestamping"];

function validateRequest(request: string): FieldError[] {
  if (!request) return [required("spec.request")];
  const pem = Buffer.from(request, "base64").toString("latin1");
  // upstream parses the PEM block, then the DER: a wrong block type is what clients get wrong
  return pem.includes("-----BEGIN CERTIFICATE REQUEST-----") ? [] : [invalid("spec.request", { value: [], detail: "PEM block type must be CERTIFICATE REQUEST" })];
}

function validateSignerName(signer: string): FieldError[] {
  if (!signer) return [required("spec.signerName")];
  if (signer === "kubernetes.io/legacy-unknown") return [invalid("spec.signerName", { value: signer, detail: "the legacy signerName is not allowed via this API version" })];
  return /^[^/]+\/[^/]+$/.test(signer) ? [] : [invalid("spec.signerName", { value: signer, detail: "must be a fully qualified domain and path of the form 'example.com/signer-name'" })];
}

/** Upstream's ValidateCertificateRequestCreate / Update (spec writes; the spec never changes). */
export function validateCertificateSigningRequest(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = validateRequest(asString(spec.request));
  const usages = asArray(spec.usages).map(String);
  if (usages.length === 0) errs.push(required("spec.usages"));
  const seen = new Set<string>();
  usages.forEach((u, i) => {
    if (!USAGES.includes(u)) errs.push(notSupported(`spec.usages[${i}]`, { value: u, supported: USAGES }));
    if (seen.has(u)) errs.push(duplicate(`spec.usages[${i}]`, u));
    seen.add(u);
  });
  const exp = asNumber(spec.expirationSeconds);
  if (exp !== undefined && exp < 600) errs.push(invalid("spec.expirationSeconds", { value: exp, detail: "may not specify a duration less than 600 seconds (10 minutes)" }));
  errs.push(...validateSignerName(asString(spec.signerName)));
  if (old) errs.push(...unchanged("spec", { value: obj.spec, old: old.spec }));
  return errs;
}

/** The decision conditions: only /approval may add them, and nothing may take them away. */
const DECISIONS = ["Approved", "Denied"];

function conditionTypes(obj: KubeObject | undefined): Set<string> {
  const status = obj?.status as { conditions?: unknown } | undefined;
  return new Set(asArray(status?.conditions).map((c) => asString((c as { type?: unknown } | undefined)?.type)));
}

/**
 * Upstream's status and approval update rules: a decision is added only
 * through /approval (where the CertificateApproval plugin checks "approve"),
 * never removed, Approved and Denied never together, and an issued
 * certificate is never replaced.
 */
export function validateCertificateSigningRequestStatus(obj: KubeObject, old: KubeObject, subresource: string): FieldError[] {
  const errs: FieldError[] = [];
  const now = conditionTypes(obj);
  const before = conditionTypes(old);
  for (const t of DECISIONS) {
    if (now.has(t) && !before.has(t) && subresource !== "approval") errs.push(forbidden("status.conditions", `updates may not add a condition of type "${t}"`));
    if (!now.has(t) && before.has(t)) errs.push(forbidden("status.conditions", `updates may not remove a condition of type "${t}"`));
  }
  if (now.has("Approved") && now.has("Denied")) errs.push(invalid("status.conditions", { value: [...now], detail: "Approved and Denied conditions are mutually exclusive" }));
  const cert = asString((obj.status as { certificate?: unknown } | undefined)?.certificate);
  const issued = asString((old.status as { certificate?: unknown } | undefined)?.certificate);
  if (issued && cert !== issued) errs.push(forbidden("status.certificate", "updates may not modify existing certificate content"));
  return errs;
}
