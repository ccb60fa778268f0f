/**
 * Idempotent certificate files: a CA is created once and kept; a leaf is
 * re-issued (keeping its key) when it nears expiry or its names changed.
 */
import { createPublicKey, X509Certificate } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { generateKey, parsePrivateKey, privateKeyPEM } from "./keys.ts";
import type { KeyKind } from "./keys.ts";
import { readIfExists, writeFileAtomic } from "./files.ts";
import { certificateSANs, createSelfSignedCA, normalizeIP, signCertificate } from "./x509.ts";
import type { ExtUsage, Subject } from "./x509.ts";

/** A certificate and its key, on disk and in memory. */
export interface CertFiles {
  certPath: string;
  keyPath: string;
  /** the file's content: the certificate, followed by its CA for leaves */
  certPEM: string;
  keyPEM: string;
}

/** Leaves are renewed when fewer than this many days remain, as k3s does. */
export const RENEW_BEFORE_DAYS = 120;

/** Where a CA lives and what its CN prefix is. */
export interface CAFileOptions {
  certPath: string;
  keyPath: string;
  /** e.g. "k3s-server" gives CN k3s-server-ca@<unix> */
  prefix: string;
}

/** Loads a CA, creating key and self-signed certificate when neither exists. */
export function ensureCA(options: CAFileOptions): CertFiles & { created: boolean } {
  const certPEM = readIfExists(options.certPath);
  const keyPEM = readIfExists(options.keyPath);
  if (certPEM !== undefined && keyPEM !== undefined) {
    return { certPath: options.certPath, keyPath: options.keyPath, certPEM, keyPEM, created: false };
  }
  if (certPEM !== undefined) {
    throw new Error(`ca key ${options.keyPath} is missing while ${options.certPath} exists; restore the key or remove both`);
  }
  // a key without its certificate is what a crash between the two writes leaves: finish the job with that key
  const key = keyPEM !== undefined ? parsePrivateKey(keyPEM) : generateKey("ecdsa");
  const newKeyPEM = keyPEM ?? privateKeyPEM(key);
  const newCertPEM = createSelfSignedCA(key, { cn: `${options.prefix}-ca@${Math.floor(Date.now() / 1000)}` });
  if (keyPEM === undefined) writeFileAtomic(options.keyPath, newKeyPEM, { mode: 0o600 });
  writeFileAtomic(options.certPath, newCertPEM, { mode: 0o644 });
  return { certPath: options.certPath, keyPath: options.keyPath, certPEM: newCertPEM, keyPEM: newKeyPEM, created: true };
}

/** Loads a private key file, creating it when absent. */
export function ensureKey(path: string, kind: KeyKind = "ecdsa"): { key: KeyObject; pem: string; created: boolean } {
  const existing = readIfExists(path);
  if (existing !== undefined) return { key: parsePrivateKey(existing), pem: existing, created: false };
  const key = generateKey(kind);
  const pem = privateKeyPEM(key);
  writeFileAtomic(path, pem, { mode: 0o600 });
  return { key, pem, created: true };
}

/** What a leaf certificate must say. */
export interface LeafOptions {
  ca: CertFiles;
  certPath: string;
  keyPath: string;
  subject: Subject;
  sans?: string[];
  usages: ExtUsage[];
  days?: number;
}

function sameSet(a: string[], b: string[]): boolean {
  const left = new Set(a.map(normalizeIP));
  const right = new Set(b.map(normalizeIP));
  return left.size === right.size && [...left].every((v) => right.has(v));
}

/** Why an existing leaf must be re-issued, or undefined when it is still good. */
export function staleReason(certPEM: string, key: KeyObject, options: LeafOptions): string | undefined {
  const cert = new X509Certificate(certPEM);
  const ca = new X509Certificate(options.ca.certPEM);
  const daysLeft = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
  if (daysLeft < RENEW_BEFORE_DAYS) return `expires in ${Math.floor(daysLeft)} days`;
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return "issuer changed";
  const certKey = cert.publicKey.export({ type: "spki", format: "der" });
  const ownKey = createPublicKey(key).export({ type: "spki", format: "der" });
  if (!certKey.equals(ownKey)) return "key changed";
  const wanted = [...(options.subject.o ?? []).map((o) => `O=${o}`), `CN=${options.subject.cn}`].join("\n");
  if (cert.subject !== wanted) return `subject changed from ${cert.subject.replace(/\n/g, ",")}`;
  if (!sameSet(certificateSANs(cert), options.sans ?? [])) return "names changed";
  return undefined;
}

/** Ensures a leaf certificate signed by `options.ca`; the key is kept across re-issues. */
export function ensureLeaf(options: LeafOptions): CertFiles & { reissued?: string } {
  const { key, pem: keyPEM } = ensureKey(options.keyPath);
  const existing = readIfExists(options.certPath);
  let reason: string | undefined = "created";
  if (existing !== undefined) {
    try {
      reason = staleReason(existing, key, options);
    } catch (err) {
      reason = `unreadable (${(err as Error).message})`;
    }
  }
  if (reason === undefined) return { certPath: options.certPath, keyPath: options.keyPath, certPEM: existing!, keyPEM };
  const leaf = signCertificate(options.ca, {
    publicKey: createPublicKey(key),
    subject: options.subject,
    sans: options.sans,
    usages: options.usages,
    days: options.days ?? 365,
  });
  const certPEM = leaf + firstCertificate(options.ca.certPEM);
  writeFileAtomic(options.certPath, certPEM, { mode: 0o644 });
  return { certPath: options.certPath, keyPath: options.keyPath, certPEM, keyPEM, reissued: reason };
}

function firstCertificate(pem: string): string {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/.exec(pem);
  if (!m) throw new Error("no certificate found in ca pem");
  return m[0].endsWith("\n") ? m[0] : `${m[0]}\n`;
}
