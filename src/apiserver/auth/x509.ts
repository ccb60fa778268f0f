/** Client-certificate authentication: CN is the user, O entries are the groups. */
import { X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";
import type { UserInfo } from "../../api/types.ts";
import { withAuthenticatedGroup } from "./lookup.ts";

export interface X509Options {
  /**
   * PEM bundle of the client CA(s). When set, the peer certificate must be
   * issued by one of them, not merely by any CA the TLS server trusts.
   */
  clientCA?: string | Buffer;
  /** for tests */
  now?: () => Date;
}

/** Splits a PEM bundle into certificates. */
export function parsePemBundle(pem: string | Buffer): X509Certificate[] {
  const text = pem.toString();
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Returns a function that reads the user from a TLS socket's verified client certificate. */
export function createX509Authenticator(opts: X509Options = {}): (socket: TLSSocket | undefined) => UserInfo | undefined {
  const cas = opts.clientCA ? parsePemBundle(opts.clientCA) : undefined;
  const now = opts.now ?? (() => new Date());
  return (socket) => {
    if (!socket || typeof socket.getPeerCertificate !== "function") return undefined;
    // Node verified the chain against the server's `ca`; without that nothing below counts
    if (!socket.authorized) return undefined;
    const peer = socket.getPeerCertificate(false);
    if (!peer || !peer.subject) return undefined;
    if (cas) {
      const x509 = socket.getPeerX509Certificate();
      if (!x509) return undefined;
      const issued = cas.some((ca) => x509.checkIssued(ca) && x509.verify(ca.publicKey));
      if (!issued) return undefined;
      const t = now().getTime();
      if (t < Date.parse(x509.validFrom) || t > Date.parse(x509.validTo)) return undefined;
    }
    const cn = asList(peer.subject.CN)[0];
    if (!cn) return undefined;
    return withAuthenticatedGroup({ username: cn, groups: asList(peer.subject.O) });
  };
}
