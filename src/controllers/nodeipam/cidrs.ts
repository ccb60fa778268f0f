/** IPv4 CIDR arithmetic for pod CIDR allocation. */

function ipToInt(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`invalid ipv4 address ${JSON.stringify(ip)}`);
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function intToIP(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Hands out subnets of one cluster CIDR, lowest free first; never the same one twice while held. */
export class CIDRAllocator {
  private readonly base: number;
  private readonly count: number;
  private readonly used = new Set<number>();

  constructor(
    readonly clusterCIDR: string,
    readonly maskSize: number,
  ) {
    const [ip, bitsText] = clusterCIDR.split("/");
    const bits = Number(bitsText);
    if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`invalid cluster cidr ${JSON.stringify(clusterCIDR)}`);
    if (maskSize < bits || maskSize > 32) throw new Error(`node cidr mask size ${maskSize} does not fit cluster cidr ${clusterCIDR}`);
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    this.base = (ipToInt(ip) & mask) >>> 0;
    this.count = 2 ** (maskSize - bits);
  }

  private indexOf(cidr: string): number | undefined {
    const [ip, bits] = cidr.split("/");
    if (Number(bits) !== this.maskSize) return undefined;
    let n: number;
    try {
      n = ipToInt(ip);
    } catch {
      return undefined;
    }
    const idx = (n - this.base) / 2 ** (32 - this.maskSize);
    return Number.isInteger(idx) && idx >= 0 && idx < this.count ? idx : undefined;
  }

  /** Marks a CIDR (already on a node) as taken; false when it is outside the range. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    this.used.add(i);
    return true;
  }

  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i !== undefined) this.used.delete(i);
  }

  /** The lowest free subnet, or undefined when the range is exhausted. */
  allocate(): string | undefined {
    for (let i = 0; i < this.count; i++) {
      if (this.used.has(i)) continue;
      this.used.add(i);
      return `${intToIP((this.base + i * 2 ** (32 - this.maskSize)) >>> 0)}/${this.maskSize}`;
    }
    return undefined;
  }
}
