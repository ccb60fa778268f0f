/** Label and field selectors with upstream's grammar and error wording. */
import { splitSelectorTerms } from "../api/selectorterms.ts";
import { badRequest } from "./errors.ts";

export type LabelOp = "=" | "!=" | "in" | "notin" | "exists" | "!exists";

export interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

/** A parsed label selector: every requirement must hold. */
export type LabelSelector = LabelRequirement[];

const KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function checkKey(key: string, text: string): string {
  if (!KEY_RE.test(key)) throw badRequest(`unable to parse requirement: invalid label key ${JSON.stringify(key)} in ${JSON.stringify(text)}`);
  return key;
}

/** Parses `a=b,c!=d,e in (f,g),!h,i`. */
export function parseLabelSelector(text: string): LabelSelector {
  const reqs: LabelSelector = [];
  for (const term of splitSelectorTerms(text)) {
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term))) {
      const values = m[3].split(",").map((v) => v.trim()).filter((v) => v !== "");
      reqs.push({ key: checkKey(m[1], text), op: m[2] as LabelOp, values });
    } else if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term))) {
      reqs.push({ key: checkKey(m[1], text), op: m[2] === "!=" ? "!=" : "=", values: [m[3].trim()] });
    } else if ((m = /^!\s*(\S+)$/.exec(term))) {
      reqs.push({ key: checkKey(m[1], text), op: "!exists", values: [] });
    } else if (/^\S+$/.test(term)) {
      reqs.push({ key: checkKey(term, text), op: "exists", values: [] });
    } else {
      throw badRequest(`unable to parse requirement: found ${JSON.stringify(term)}, expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return reqs;
}

/** Whether labels satisfy every requirement. */
export function matchLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const r of sel) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? labels[r.key] : undefined;
    switch (r.op) {
      case "=":
        if (v !== r.values[0]) return false;
        break;
      case "!=":
        if (v === r.values[0]) return false;
        break;
      case "in":
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case "notin":
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case "exists":
        if (!has) return false;
        break;
      case "!exists":
        if (has) return false;
        break;
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

export type FieldSelector = FieldRequirement[];

/** Parses `metadata.name=x,status.phase!=Failed`, checking fields against the allowed set. */
export function parseFieldSelector(text: string, allowed: (field: string) => boolean): FieldSelector {
  const reqs: FieldSelector = [];
  for (const term of splitSelectorTerms(text)) {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = m[1].trim();
    if (!allowed(field)) throw badRequest(`field label not supported: ${field}`);
    reqs.push({ field, op: m[2] === "!=" ? "!=" : "=", value: unescapeFieldValue(m[3]) });
  }
  return reqs;
}

function unescapeFieldValue(v: string): string {
  return v.replace(/\\(.)/g, "$1");
}

/** Whether the object's selectable fields satisfy every requirement. */
export function matchFields(sel: FieldSelector, fields: Record<string, string>): boolean {
  for (const r of sel) {
    const v = fields[r.field] ?? "";
    if (r.op === "=" ? v !== r.value : v === r.value) return false;
  }
  return true;
}
