/** IPv4/IPv6 CIDR arithmetic for the Service ClusterIP range. */
import { isIP } from "node:net";

/** A parsed CIDR: base address as a bigint and the host count usable for services. */
export interface Cidr {
  text: string;
  family: 4 | 6;
  base: bigint;
  prefix: number;
  bits: number;
}

function v4ToBig(ip: string): bigint {
  return ip.split(".").reduce((acc, p) => (acc << 8n) + BigInt(Number(p)), 0n);
}

function v6ToBig(ip: string): bigint {
  let s = ip;
  if (s.includes(".")) {
    const i = s.lastIndexOf(":");
    const v4 = v4ToBig(s.slice(i + 1));
    s = `${s.slice(0, i)}:${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const fill = s.includes("::") ? new Array(8 - h.length - t.length).fill("0") : [];
  return [...h, ...fill, ...t].reduce((acc, p) => (acc << 16n) + BigInt(parseInt(p || "0", 16)), 0n);
}

/** The address as a number; throws naming the value when it is not an IP. */
export function ipToBig(ip: string): { family: 4 | 6; value: bigint } {
  const fam = isIP(ip);
  if (fam === 4) return { family: 4, value: v4ToBig(ip) };
  if (fam === 6) return { family: 6, value: v6ToBig(ip) };
  throw new Error(`not an ip address: ${JSON.stringify(ip)}`);
}

/** Formats an address number back to text (IPv6 in canonical compressed form). */
export function bigToIp(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join(".");
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}

/** Parses "10.43.0.0/16"; throws naming the value when malformed. */
export function parseCidr(text: string): Cidr {
  const [ip, p] = text.trim().split("/");
  const { family, value } = ipToBig(ip);
  const bits = family === 4 ? 32 : 128;
  const prefix = Number(p);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) throw new Error(`invalid cidr: ${JSON.stringify(text)}`);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  return { text: text.trim(), family, base: value & mask, prefix, bits };
}

/** True when ip lies inside the CIDR. */
export function cidrContains(cidr: Cidr, ip: string): boolean {
  if (isIP(ip) !== cidr.family) return false;
  const v = ipToBig(ip).value;
  return v >> BigInt(cidr.bits - cidr.prefix) === cidr.base >> BigInt(cidr.bits - cidr.prefix);
}

/** The n-th address of the CIDR (0 = network address). */
export function nthIp(cidr: Cidr, n: number): string {
  return bigToIp(cidr.base + BigInt(n), cidr.family);
}
