/**
 * Builds and reads X.509 v3 certificates: self-signed CAs and leaves signed
 * by a CA, with the extensions Kubernetes components check.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, X509Certificate } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { isIP } from "node:net";
import * as der from "./asn1.ts";

/** The distinguished name parts Kubernetes uses: CN = user, O = groups. */
export interface Subject {
  cn: string;
  o?: string[];
}

/** Extended key usages a certificate may carry. */
export type ExtUsage = "server" | "client";

/** A CA able to sign: its certificate and private key in PEM. */
export interface CertificateAuthority {
  certPEM: string;
  keyPEM: string;
}

/** What to put into a certificate signed by a CA. */
export interface SignOptions {
  /** the subject's public key (KeyObject or SPKI/PKCS#1 PEM) */
  publicKey: KeyObject | string;
  subject: Subject;
  /** DNS names and IP addresses */
  sans?: string[];
  /** default ["client"] */
  usages?: ExtUsage[];
  /** lifetime in days; default 365 */
  days?: number;
  /** sign a subordinate CA instead of a leaf */
  isCA?: boolean;
  /** start of validity; default now (back-dated a minute against clock skew) */
  notBefore?: Date;
}

/** Options of a self-signed CA. */
export interface CAOptions {
  cn: string;
  /** default 3650 */
  days?: number;
  notBefore?: Date;
}

const OID = {
  cn: "2.5.4.3",
  o: "2.5.4.10",
  ecdsaSha256: "1.2.840.10045.4.3.2",
  rsaSha256: "1.2.840.113549.1.1.11",
  ed25519: "1.3.101.112",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5 } as const;

/** Encodes a Name: O attributes first, then CN, one attribute per RDN as Go does. */
export function encodeName(subject: Subject): Buffer {
  const rdns: Buffer[] = [];
  for (const o of subject.o ?? []) rdns.push(der.set(der.seq(der.oid(OID.o), der.utf8(o))));
  if (subject.cn) rdns.push(der.set(der.seq(der.oid(OID.cn), der.utf8(subject.cn))));
  return der.seq(...rdns);
}

/** Decodes a Name into CN and O (other attributes are ignored). */
export function decodeName(name: der.Node): Subject {
  const subject: Subject = { cn: "", o: [] };
  for (const rdn of der.children(name)) {
    for (const atv of der.children(rdn)) {
      const [type, value] = der.children(atv);
      const id = der.oidToString(type.content);
      const text = value.content.toString("utf8");
      if (id === OID.cn) subject.cn = text;
      else if (id === OID.o) subject.o!.push(text);
    }
  }
  return subject;
}

/** The parts of a certificate we need to sign under it or compare it. */
export interface ParsedCertificate {
  subjectRaw: Buffer;
  subject: Subject;
  issuer: Subject;
  spkiRaw: Buffer;
  /** extension OID → extnValue contents */
  extensions: Map<string, Buffer>;
}

/** Parses the first certificate of a PEM bundle. */
export function parseCertificate(pem: string): ParsedCertificate {
  const [bytes] = der.fromPEM(pem, "CERTIFICATE");
  if (!bytes) throw new Error("no certificate found in pem");
  const [tbs] = der.children(der.decode(bytes));
  const fields = der.children(tbs);
  const base = fields[0].tag === 0xa0 ? 1 : 0;
  const issuer = fields[base + 2];
  const subject = fields[base + 4];
  const spki = fields[base + 5];
  const extensions = new Map<string, Buffer>();
  const extWrapper = fields.slice(base + 6).find((f) => f.tag === 0xa3);
  if (extWrapper) {
    for (const ext of der.children(der.children(extWrapper)[0])) {
      const parts = der.children(ext);
      const value = parts[parts.length - 1];
      extensions.set(der.oidToString(parts[0].content), value.content);
    }
  }
  return {
    subjectRaw: subject.raw,
    subject: decodeName(subject),
    issuer: decodeName(issuer),
    spkiRaw: spki.raw,
    extensions,
  };
}

/** SHA-1 of the subjectPublicKey bits, as RFC 5280 method 1 describes. */
export function keyIdentifier(spkiRaw: Buffer): Buffer {
  const [, bits] = der.children(der.decode(spkiRaw));
  return createHash("sha1").update(bits.content.subarray(1)).digest();
}

function spkiOf(key: KeyObject | string): Buffer {
  const pub = typeof key === "string" ? createPublicKey(key) : key.type === "private" ? createPublicKey(key) : key;
  return pub.export({ type: "spki", format: "der" });
}

function signatureAlgorithm(key: KeyObject): { algId: Buffer; digest: string | null } {
  switch (key.asymmetricKeyType) {
    case "ec":
      return { algId: der.seq(der.oid(OID.ecdsaSha256)), digest: "sha256" };
    case "rsa":
      return { algId: der.seq(der.oid(OID.rsaSha256), der.nul()), digest: "sha256" };
    case "ed25519":
      return { algId: der.seq(der.oid(OID.ed25519)), digest: null };
    default:
      throw new Error(`unsupported signing key type ${key.asymmetricKeyType}`);
  }
}

/** Encodes a SubjectAltName extension value from DNS names and IPs. */
export function encodeSANs(sans: string[]): Buffer {
  const names = sans.map((s) => {
    const family = isIP(s);
    if (family === 4) return der.implicitPrimitive(7, Buffer.from(s.split(".").map(Number)));
    if (family === 6) return der.implicitPrimitive(7, ipv6Bytes(s));
    return der.implicitPrimitive(2, Buffer.from(s, "ascii"));
  });
  return der.seq(...names);
}

function ipv6Bytes(ip: string): Buffer {
  let text = ip;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail.push(...v4[1].split(".").map(Number));
    text = text.slice(0, -v4[1].length) + "0:0";
  }
  const [head, rest] = text.split("::");
  const headParts = head ? head.split(":") : [];
  const restParts = rest !== undefined && rest !== "" ? rest.split(":") : [];
  const fill = 8 - headParts.length - restParts.length;
  const groups = [...headParts, ...Array<string>(rest !== undefined ? fill : 0).fill("0"), ...restParts];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  if (tail.length) Buffer.from(tail).copy(out, 12);
  return out;
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? der.seq(der.oid(id), der.boolean(true), der.octetString(value))
    : der.seq(der.oid(id), der.octetString(value));
}

function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return der.integerFromBytes(bytes);
}

interface TBSInput {
  issuerName: Buffer;
  subjectName: Buffer;
  spki: Buffer;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
  algId: Buffer;
}

function assemble(tbsIn: TBSInput, signer: KeyObject, digest: string | null): string {
  const tbs = der.seq(
    der.explicit(0, der.integer(2)),
    serialNumber(),
    tbsIn.algId,
    tbsIn.issuerName,
    der.seq(der.time(tbsIn.notBefore), der.time(tbsIn.notAfter)),
    tbsIn.subjectName,
    tbsIn.spki,
    der.explicit(3, der.seq(...tbsIn.extensions)),
  );
  const signature = sign(digest, tbs, signer);
  return der.toPEM(der.seq(tbs, tbsIn.algId, der.bitString(signature)), "CERTIFICATE");
}

function validity(notBefore: Date | undefined, days: number): { notBefore: Date; notAfter: Date } {
  const start = notBefore ?? new Date(Date.now() - 60_000);
  const from = new Date(Math.floor(start.getTime() / 1000) * 1000);
  return { notBefore: from, notAfter: new Date(from.getTime() + days * 86_400_000) };
}

/** Creates a self-signed CA certificate (PEM) for the given private key. */
export function createSelfSignedCA(key: KeyObject | string, options: CAOptions): string {
  const priv = typeof key === "string" ? createPrivateKey(key) : key;
  const spki = spkiOf(priv);
  const name = encodeName({ cn: options.cn });
  const { algId, digest } = signatureAlgorithm(priv);
  const ski = keyIdentifier(spki);
  const extensions = [
    extension(OID.keyUsage, true, der.namedBits([KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment, KEY_USAGE.keyCertSign])),
    extension(OID.basicConstraints, true, der.seq(der.boolean(true))),
    extension(OID.subjectKeyId, false, der.octetString(ski)),
  ];
  return assemble({ issuerName: name, subjectName: name, spki, ...validity(options.notBefore, options.days ?? 3650), extensions, algId }, priv, digest);
}

/** Signs a certificate for `options.publicKey` with the CA; returns the PEM of the new certificate alone. */
export function signCertificate(ca: CertificateAuthority, options: SignOptions): string {
  const caKey = createPrivateKey(ca.keyPEM);
  const caCert = parseCertificate(ca.certPEM);
  const spki = spkiOf(options.publicKey);
  const { algId, digest } = signatureAlgorithm(caKey);
  const authorityKeyId = caCert.extensions.get(OID.subjectKeyId);
  const aki = authorityKeyId ? der.decode(authorityKeyId).content : keyIdentifier(caCert.spkiRaw);
  const usages = options.usages ?? ["client"];
  const bits: number[] = [KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment];
  if (options.isCA) bits.push(KEY_USAGE.keyCertSign);
  const extensions = [extension(OID.keyUsage, true, der.namedBits(bits))];
  if (usages.length) {
    extensions.push(extension(OID.extKeyUsage, false, der.seq(...usages.map((u) => der.oid(u === "server" ? OID.serverAuth : OID.clientAuth)))));
  }
  extensions.push(extension(OID.basicConstraints, true, options.isCA ? der.seq(der.boolean(true)) : der.seq()));
  extensions.push(extension(OID.authorityKeyId, false, der.seq(der.implicitPrimitive(0, aki))));
  if (options.isCA) extensions.push(extension(OID.subjectKeyId, false, der.octetString(keyIdentifier(spki))));
  if (options.sans?.length) extensions.push(extension(OID.subjectAltName, false, encodeSANs(options.sans)));
  return assemble(
    {
      issuerName: caCert.subjectRaw,
      subjectName: encodeName(options.subject),
      spki,
      ...validity(options.notBefore, options.days ?? 365),
      extensions,
      algId,
    },
    caKey,
    digest,
  );
}

/** DNS names and IPs of a certificate's SubjectAltName, in the form `sans` takes. */
export function certificateSANs(cert: X509Certificate): string[] {
  const text = cert.subjectAltName;
  if (!text) return [];
  return text.split(", ").map((entry) => {
    if (entry.startsWith("DNS:")) return entry.slice(4);
    if (entry.startsWith("IP Address:")) return normalizeIP(entry.slice(11));
    return entry;
  });
}

/** Canonical text of an IP (IPv6 compressed as Node prints it); other strings unchanged. */
export function normalizeIP(s: string): string {
  if (isIP(s) !== 6) return s;
  const bytes = ipv6Bytes(s);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  const joined = groups.join(":");
  // compress the longest run of zero groups, as RFC 5952 prescribes
  let best = "";
  for (const m of joined.matchAll(/(?:^|:)0(?::0)+(?:$|:)/g)) if (m[0].length > best.length) best = m[0];
  return best ? joined.replace(best, "::") : joined;
}
