/**
 * Exact resource quantities for quota sums and limit comparisons: values in
 * milli-units as bigint (floats would drift when adding "100m" ten times),
 * printed in upstream's canonical form ("1536Mi", "500m", "2").
 */
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** A parsed quantity: its milli-value and whether it was written with a binary suffix. */
export interface Quantity {
  milli: bigint;
  binary: boolean;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b === 0n || a < 0n ? q : q + 1n;
}

/** Parses a quantity ("500m", "1.5Gi", "2e3", 3); throws naming the text when it is not one. */
export function parseQuantity(q: string | number): Quantity {
  const text = typeof q === "number" ? String(q) : q.trim();
  const m = QUANTITY.exec(text);
  if (!m) throw new Error(`invalid quantity ${JSON.stringify(q)}`);
  const [, sign, mantissa, exp, suffix = ""] = m;
  const [whole, frac = ""] = mantissa.split(".");
  const digits = BigInt((whole || "0") + frac);
  let num = digits * 1000n;
  let den = pow10(frac.length);
  const binary = suffix in BINARY;
  if (binary) num *= 1024n ** BigInt(BINARY[suffix]);
  else {
    const e = exp !== undefined ? Number(exp) : DECIMAL[suffix];
    if (e >= 0) num *= pow10(e);
    else den *= pow10(-e);
  }
  const milli = ceilDiv(num, den);
  return { milli: sign === "-" ? -milli : milli, binary };
}

/** The milli-value of a quantity, 0 for absent. */
export function milliOf(q: string | number | undefined): bigint {
  return q === undefined || q === "" ? 0n : parseQuantity(q).milli;
}

/** Upstream's canonical text of a milli-value, binary suffixes when `binary`. */
export function formatQuantity(milli: bigint, binary = false): string {
  if (milli === 0n) return "0";
  if (milli % 1000n !== 0n) return `${milli}m`;
  let v = milli / 1000n;
  const neg = v < 0n;
  if (neg) v = -v;
  let suffix = "";
  if (binary) {
    for (const [s, p] of Object.entries(BINARY).reverse()) {
      const unit = 1024n ** BigInt(p);
      if (v % unit === 0n) {
        v /= unit;
        suffix = s;
        break;
      }
    }
  } else {
    for (const s of ["E", "P", "T", "G", "M", "k"]) {
      const unit = pow10(DECIMAL[s]);
      if (v % unit === 0n) {
        v /= unit;
        suffix = s;
        break;
      }
    }
  }
  return `${neg ? "-" : ""}${v}${suffix}`;
}

/** A quantity's canonical text ("2048Mi" → "2Gi"). */
export function canonical(q: string | number): string {
  const p = parseQuantity(q);
  return formatQuantity(p.milli, p.binary);
}

/** Resource totals in milli-units, remembering which were written in binary units. */
export class ResourceTotals {
  readonly values = new Map<string, bigint>();
  private readonly binary = new Set<string>();

  /** Adds a quantity to a resource's total. */
  add(name: string, q: string | number | bigint): void {
    let milli: bigint;
    if (typeof q === "bigint") milli = q;
    else {
      const p = parseQuantity(q);
      milli = p.milli;
      if (p.binary) this.binary.add(name);
    }
    this.values.set(name, (this.values.get(name) ?? 0n) + milli);
  }

  /** Whether the resource's total prints in binary units. */
  isBinary(name: string): boolean {
    return this.binary.has(name);
  }

  /** Prints the resource's total in binary units. */
  markBinary(name: string): void {
    this.binary.add(name);
  }

  /** Adds another total's resource under a (possibly different) name, keeping its units. */
  addFrom(name: string, from: { totals: ResourceTotals; resource: string }): void {
    const v = from.totals.values.get(from.resource);
    if (v === undefined) return;
    this.add(name, v);
    if (from.totals.isBinary(from.resource)) this.markBinary(name);
  }

  /** Every resource's total in canonical text. */
  toList(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of [...this.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = formatQuantity(v, this.binary.has(k));
    return out;
  }
}

