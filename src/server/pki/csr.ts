/**
 * PKCS#10 certificate signing requests: parsed (and their self-signature
 * checked) by whoever signs kubelet certificates, created by agents.
 */
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { isIP } from "node:net";
import * as der from "./asn1.ts";
import { decodeName, encodeName, encodeSANs, normalizeIP } from "./x509.ts";
import type { Subject } from "./x509.ts";

/** A parsed, signature-checked CSR. */
export interface CertificateRequest {
  subject: Subject;
  publicKey: KeyObject;
  /** DNS names and IPs from the extensionRequest attribute */
  sans: string[];
}

/** What an agent asks to be certified as. */
export interface CSROptions {
  subject: Subject;
  sans?: string[];
}

const OID_EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
const OID_SAN = "2.5.29.17";

const SIGNATURE_DIGESTS: Record<string, string | null> = {
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.3.101.112": null,
};

function decodeSANs(value: Buffer): string[] {
  const out: string[] = [];
  for (const name of der.children(der.decode(value))) {
    if (name.tag === 0x82) out.push(name.content.toString("ascii"));
    else if (name.tag === 0x87 && name.content.length === 4) out.push([...name.content].join("."));
    else if (name.tag === 0x87 && name.content.length === 16) {
      const groups: string[] = [];
      for (let i = 0; i < 16; i += 2) groups.push(name.content.readUInt16BE(i).toString(16));
      out.push(normalizeIP(groups.join(":")));
    }
  }
  return out;
}

function requestedSANs(attributes: der.Node | undefined): string[] {
  if (!attributes) return [];
  for (const attr of der.children(attributes)) {
    const [type, values] = der.children(attr);
    if (der.oidToString(type.content) !== OID_EXTENSION_REQUEST) continue;
    for (const exts of der.children(values)) {
      for (const ext of der.children(exts)) {
        const parts = der.children(ext);
        if (der.oidToString(parts[0].content) === OID_SAN) return decodeSANs(parts[parts.length - 1].content);
      }
    }
  }
  return [];
}

/** Parses a PEM (or DER) CSR and checks its self-signature; throws naming what is wrong. */
export function parseCSR(input: string | Buffer): CertificateRequest {
  const bytes = typeof input === "string" ? der.fromPEM(input, "(?:NEW )?CERTIFICATE REQUEST")[0] : input;
  if (!bytes) throw new Error("no certificate request found in pem");
  const [info, algorithm, signature] = der.children(der.decode(bytes));
  if (!info || !algorithm || !signature) throw new Error("certificate request is not a pkcs#10 structure");
  const fields = der.children(info);
  const [, subject, spki] = fields;
  const attributes = fields.find((f) => f.tag === 0xa0);
  const publicKey = createPublicKey({ key: spki.raw, format: "der", type: "spki" });
  const algOid = der.oidToString(der.children(algorithm)[0].content);
  if (!(algOid in SIGNATURE_DIGESTS)) throw new Error(`unsupported certificate request signature algorithm ${algOid}`);
  const ok = verify(SIGNATURE_DIGESTS[algOid], info.raw, publicKey, signature.content.subarray(1));
  if (!ok) throw new Error("certificate request signature does not verify");
  return { subject: decodeName(subject), publicKey, sans: requestedSANs(attributes) };
}

/** Creates a PEM CSR signed by `key` (ECDSA, RSA or Ed25519). */
export function createCSR(key: KeyObject | string, options: CSROptions): string {
  const priv = typeof key === "string" ? createPrivateKey(key) : key;
  const spki = createPublicKey(priv).export({ type: "spki", format: "der" });
  const attrs: Buffer[] = [];
  if (options.sans?.length) {
    const ext = der.seq(der.oid(OID_SAN), der.octetString(encodeSANs(options.sans.filter((s) => s !== "" && (isIP(s) || /^[\w.*-]+$/.test(s))))));
    attrs.push(der.seq(der.oid(OID_EXTENSION_REQUEST), der.set(der.seq(ext))));
  }
  const info = der.seq(der.integer(0), encodeName(options.subject), spki, der.tlv(0xa0, Buffer.concat(attrs)));
  let algId: Buffer;
  let digest: string | null = "sha256";
  if (priv.asymmetricKeyType === "ec") algId = der.seq(der.oid("1.2.840.10045.4.3.2"));
  else if (priv.asymmetricKeyType === "rsa") algId = der.seq(der.oid("1.2.840.113549.1.1.11"), der.nul());
  else if (priv.asymmetricKeyType === "ed25519") {
    algId = der.seq(der.oid("1.3.101.112"));
    digest = null;
  } else throw new Error(`unsupported key type ${priv.asymmetricKeyType}`);
  const signature = sign(digest, info, priv);
  return der.toPEM(der.seq(info, algId, der.bitString(signature)), "CERTIFICATE REQUEST");
}
