/** Label selectors: metav1.LabelSelector objects and the string syntax of ?labelSelector=. */
import { splitSelectorTerms } from "../api/selectorterms.ts";

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A compiled selector; `empty` selects everything. */
export interface Selector {
  matches(labels: Record<string, string> | undefined): boolean;
  empty: boolean;
}

function requirementMatches(r: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case "In":
      return has && (r.values ?? []).includes(labels[r.key]);
    case "NotIn":
      return !has || !(r.values ?? []).includes(labels[r.key]);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      throw new Error(`invalid label selector operator ${JSON.stringify(r.operator)}`);
  }
}

/**
 * Compiles a LabelSelector object. As upstream, a null selector selects
 * nothing and an empty one ({}) selects everything.
 */
export function selectorFromLabelSelector(sel: LabelSelector | null | undefined): Selector {
  if (!sel) return { matches: () => false, empty: false };
  const reqs: LabelSelectorRequirement[] = [
    ...Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, operator: "In" as const, values: [v] })),
    ...(sel.matchExpressions ?? []),
  ];
  return {
    empty: reqs.length === 0,
    matches: (labels) => reqs.every((r) => requirementMatches(r, labels ?? {})),
  };
}

/** Matches labels against a plain map (Service.spec.selector style: all must be equal). */
export function selectorFromMap(map: Record<string, string> | undefined): Selector {
  return selectorFromLabelSelector({ matchLabels: map ?? {} });
}

/** Renders a LabelSelector in the ?labelSelector= string syntax. */
export function labelSelectorString(sel: LabelSelector | undefined): string {
  if (!sel) return "";
  const parts: string[] = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of sel.matchExpressions ?? []) {
    const vals = [...(r.values ?? [])].sort().join(",");
    if (r.operator === "In") parts.push(`${r.key} in (${vals})`);
    else if (r.operator === "NotIn") parts.push(`${r.key} notin (${vals})`);
    else if (r.operator === "Exists") parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.join(",");
}

/** Parses the string syntax: `a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a`. */
export function parseLabelSelector(s: string): Selector {
  const checks: ((l: Record<string, string>) => boolean)[] = [];
  for (const term of splitSelectorTerms(s)) {
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term))) {
      const [, key, op, list] = m;
      const values = list.split(",").map((v) => v.trim()).filter((v) => v !== "");
      const r: LabelSelectorRequirement = { key, operator: op === "in" ? "In" : "NotIn", values };
      checks.push((l) => requirementMatches(r, l));
    } else if ((m = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(term))) {
      const [, key, v] = m;
      checks.push((l) => l[key] !== v);
    } else if ((m = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(term))) {
      const [, key, v] = m;
      checks.push((l) => Object.prototype.hasOwnProperty.call(l, key) && l[key] === v);
    } else if ((m = /^!\s*(\S+)$/.exec(term))) {
      const key = m[1];
      checks.push((l) => !Object.prototype.hasOwnProperty.call(l, key));
    } else if (/^\S+$/.test(term)) {
      checks.push((l) => Object.prototype.hasOwnProperty.call(l, term));
    } else {
      throw new Error(`invalid label selector term ${JSON.stringify(term)}`);
    }
  }
  return { empty: checks.length === 0, matches: (labels) => checks.every((c) => c(labels ?? {})) };
}
