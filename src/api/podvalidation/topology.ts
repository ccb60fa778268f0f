/** topologySpreadConstraints validation as upstream's validateTopologySpreadConstraints. */
import type { FieldError } from "../kind.ts";
import { asArray, asMap, asMaps, asNumber, asString } from "../access.ts";
import { duplicate, forbidden, invalid, notSupported, required, validateLabelSelector } from "../validation.ts";
import { labelName } from "./affinity.ts";
import { NOT_POSITIVE, oneOf } from "./common.ts";

const ACTIONS = ["DoNotSchedule", "ScheduleAnyway"];
const POLICIES = ["Honor", "Ignore"];

function validateMinDomains(path: string, v: unknown, action: string): FieldError[] {
  const n = asNumber(v);
  if (n === undefined) return [];
  const errs = n <= 0 ? [invalid(path, { value: n, detail: NOT_POSITIVE })] : [];
  if (action !== "DoNotSchedule") errs.push(invalid(path, { value: n, detail: `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}` }));
  return errs;
}

function validateMatchLabelKeys(path: string, keys: string[], selector: unknown): FieldError[] {
  if (keys.length === 0) return [];
  const sel = asMap(selector);
  const errs = sel ? [] : [forbidden(path, "must not be specified when labelSelector is not set")];
  const inSelector = new Set([...Object.keys(asMap(sel?.matchLabels) ?? {}), ...asMaps(sel?.matchExpressions).map((e) => asString(e.key))]);
  keys.forEach((k, i) => {
    errs.push(...labelName(`${path}[${i}]`, k));
    if (inSelector.has(k)) errs.push(invalid(`${path}[${i}]`, { value: k, detail: "exists in both matchLabelKeys and labelSelector" }));
  });
  return errs;
}

/** Upstream's validateTopologySpreadConstraints, at path ("spec.topologySpreadConstraints"). */
export function validateTopologySpreadConstraints(list: unknown, path: string): FieldError[] {
  const all = asMaps(list);
  const errs: FieldError[] = [];
  all.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const skew = asNumber(c.maxSkew) ?? 0;
    if (skew <= 0) errs.push(invalid(`${p}.maxSkew`, { value: skew, detail: NOT_POSITIVE }));
    const key = asString(c.topologyKey);
    if (!key) errs.push(required(`${p}.topologyKey`, "can not be empty"));
    const action = asString(c.whenUnsatisfiable);
    // unlike the policies, an empty action is not a default: it is unsupported
    if (!ACTIONS.includes(action)) errs.push(notSupported(`${p}.whenUnsatisfiable`, { value: action, supported: ACTIONS }));
    // upstream reports a repeated (topologyKey, whenUnsatisfiable) pair on its first occurrence
    if (all.slice(i + 1).some((o) => asString(o.topologyKey) === key && asString(o.whenUnsatisfiable) === action)) {
      errs.push(duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${key}, ${action}}`));
    }
    errs.push(...validateMinDomains(`${p}.minDomains`, c.minDomains, action));
    errs.push(...oneOf(`${p}.nodeAffinityPolicy`, c.nodeAffinityPolicy, POLICIES));
    errs.push(...oneOf(`${p}.nodeTaintsPolicy`, c.nodeTaintsPolicy, POLICIES));
    errs.push(...validateMatchLabelKeys(`${p}.matchLabelKeys`, asArray(c.matchLabelKeys).map(asString), c.labelSelector));
    errs.push(...validateLabelSelector(c.labelSelector, `${p}.labelSelector`));
  });
  return errs;
}
