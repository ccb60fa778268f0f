/** resource.Quantity parsing: "100m", "1.5", "128Mi", "1G", "2e3". */

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The numeric value of a quantity (cores for cpu, bytes for memory). */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined || q === "") return 0;
  if (typeof q === "number") return q;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q.trim());
  if (!m) throw new Error(`invalid quantity ${JSON.stringify(q)}`);
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? "";
  return n * (binary[suffix] ?? decimal[suffix]);
}

/** A quantity in the smallest unit the scheduler counts in: milli-units for cpu, units otherwise. */
export function quantityToScaled(resource: string, q: string | number | undefined): number {
  const v = parseQuantity(q);
  return resource === "cpu" ? Math.ceil(v * 1000 - 1e-9) : Math.ceil(v - 1e-9);
}
