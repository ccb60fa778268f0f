/** Pod tolerations and node taints as upstream's ValidateTolerations / validateNodeTaints. */
import type { FieldError } from "../kind.ts";
import { asMaps, asString } from "../access.ts";
import { duplicate, forbidden, invalid, labelValue, notSupported, required } from "../validation.ts";
import { labelName } from "./affinity.ts";
import { sameValue } from "../kindvalidation/common.ts";

const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** Upstream's toleration rules: key, operator and value, tolerationSeconds only for NoExecute, effect. */
export function validateTolerations(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asMaps(list).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = asString(t.key);
    const op = asString(t.operator);
    if (key) errs.push(...labelName(`${p}.key`, key));
    if (!key && op !== "Exists") errs.push(invalid(`${p}.operator`, { value: op, detail: "operator must be Exists when `key` is empty, which means \"match all values and all keys\"" }));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== "NoExecute") {
      errs.push(invalid(`${p}.effect`, { value: asString(t.effect), detail: "effect must be 'NoExecute' when `tolerationSeconds` is set" }));
    }
    const value = asString(t.value);
    if (op === "Equal" || op === "") {
      const bad = labelValue(value);
      if (bad.length) errs.push(invalid(`${p}.operator`, { value, detail: bad.join(";") }));
    } else if (op === "Exists") {
      if (value) errs.push(invalid(`${p}.operator`, { value, detail: "value must be empty when `operator` is 'Exists'" }));
    } else {
      errs.push(notSupported(`${p}.operator`, { value: op, supported: ["Equal", "Exists"] }));
    }
    const effect = asString(t.effect);
    if (effect && !TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${p}.effect`, { value: effect, supported: TAINT_EFFECTS }));
  });
  return errs;
}

/** Upstream's validateOnlyAddedTolerations: an update may add tolerations and change tolerationSeconds only. */
export function validateTolerationsUpdate(list: unknown, old: unknown, path: string): FieldError[] {
  const now = asMaps(list);
  for (const o of asMaps(old)) {
    const same = now.some((n) => sameValue({ ...o, tolerationSeconds: n.tolerationSeconds }, n));
    if (!same) return [forbidden(path, "existing toleration can not be modified except its tolerationSeconds")];
  }
  return validateTolerations(list, path);
}

/** Upstream's node taint rules: key, value, effect, no duplicate key+effect. */
export function validateTaints(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asMaps(list).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = asString(t.key);
    if (!key) errs.push(required(`${p}.key`));
    else errs.push(...labelName(`${p}.key`, key));
    const bad = labelValue(asString(t.value));
    if (bad.length) errs.push(invalid(`${p}.value`, { value: asString(t.value), detail: bad.join(";") }));
    const effect = asString(t.effect);
    if (!effect) errs.push(required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${p}.effect`, { value: effect, supported: TAINT_EFFECTS }));
    const id = `${key}:${effect}`;
    if (seen.has(id)) errs.push({ ...duplicate(p, { key, effect }), message: `${duplicate(p, { key, effect }).message}: taints must be unique by key and effect pair` });
    seen.add(id);
  });
  return errs;
}
