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

/** What one TLS connection's certificate resolved to; `user` is absent when it authenticates nobody. */
interface Resolved {
  user?: UserInfo;
  /** the certificate's validity window in ms since the epoch, checked on every request */
  from: number;
  to: number;
}

/** Certificates that never yield a user, whatever the time. */
const NOBODY: Resolved = { from: -Infinity, to: Infinity };

/**
 * Returns a function that reads the user from a TLS socket's verified client certificate.
 * The answer is kept per socket: the certificate of a connection cannot change
 * (https.ts refuses renegotiation, as Go's TLS server does), and re-verifying
 * it cost a fifth of the server's CPU on small requests. Only the validity
 * window is checked again, so an expiring certificate stops working mid-connection.
 */
export function createX509Authenticator(opts: X509Options = {}): (socket: TLSSocket | undefined) => UserInfo | undefined {
  const cas = opts.clientCA ? parsePemBundle(opts.clientCA) : undefined;
  const now = opts.now ?? (() => new Date());
  const resolved = new WeakMap<TLSSocket, Resolved>();
  const resolve = (socket: TLSSocket): Resolved => {
    // Node verified the chain against the server's `ca`; without that nothing below counts
    if (!socket.authorized) return NOBODY;
    const peer = socket.getPeerCertificate(false);
    if (!peer || !peer.subject) return NOBODY;
    const cn = asList(peer.subject.CN)[0];
    if (!cn) return NOBODY;
    if (cas) {
      const x509 = socket.getPeerX509Certificate();
      if (!x509) return NOBODY;
      const issued = cas.some((ca) => x509.checkIssued(ca) && x509.verify(ca.publicKey));
      if (!issued) return NOBODY;
    }
    const user = withAuthenticatedGroup({ username: cn, groups: asList(peer.subject.O) });
    return { user, from: Date.parse(peer.valid_from), to: Date.parse(peer.valid_to) };
  };
  return (socket) => {
    if (!socket || typeof socket.getPeerCertificate !== "function") return undefined;
    let r = resolved.get(socket);
    if (!r) {
      r = resolve(socket);
      resolved.set(socket, r);
    }
    if (!r.user) return undefined;
    const t = now().getTime();
    if (t < r.from || t > r.to) return undefined;
    // a copy, so that nothing downstream can change what later requests of this connection get
    return { ...r.user, groups: [...r.user.groups] };
  };
}
