/**
 * Merging two toleration lists as upstream's MergeTolerations does for the
 * RuntimeClass plugin: a toleration that another one already covers is
 * dropped, so merging twice adds nothing and no redundant entries pile up.
 */
import type { Toleration } from "./common.ts";

function same(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? "") === (b.key ?? "") &&
    (a.operator ?? "") === (b.operator ?? "") &&
    (a.value ?? "") === (b.value ?? "") &&
    (a.effect ?? "") === (b.effect ?? "") &&
    a.tolerationSeconds === b.tolerationSeconds
  );
}

/** Whether `wide` tolerates everything `t` does (upstream's isSuperset). */
export function covers(wide: Toleration, t: Toleration): boolean {
  if (same(wide, t)) return true;
  // an empty key with Exists matches every key
  if ((t.key ?? "") !== (wide.key ?? "") && ((wide.key ?? "") !== "" || wide.operator !== "Exists")) return false;
  // an empty effect matches every effect
  if ((t.effect ?? "") !== (wide.effect ?? "") && (wide.effect ?? "") !== "") return false;
  if (wide.effect === "NoExecute" && wide.tolerationSeconds !== undefined) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds > wide.tolerationSeconds) return false;
  }
  if (wide.operator === "Exists") return true;
  if (wide.operator === "Equal" || !wide.operator) return (t.operator === "Equal" || !t.operator) && (t.value ?? "") === (wide.value ?? "");
  return false;
}

/** `first` then `second`, without the tolerations another one covers (of two equal ones, the first stays). */
export function mergeTolerations(first: Toleration[], second: Toleration[]): Toleration[] {
  const all = [...first, ...second];
  const merged: Toleration[] = [];
  all.forEach((t, i) => {
    if (merged.some((m) => covers(m, t))) return;
    if (all.slice(i + 1).some((later) => !same(t, later) && covers(later, t))) return;
    merged.push(t);
  });
  return merged;
}
