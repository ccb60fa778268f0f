/** The term splitting shared by label and field selector strings (API server and client). */

/**
 * Splits a selector string on commas that are not inside parentheses, so
 * `a in (x,y),b` yields two terms; terms are trimmed and empty ones dropped.
 */
export function splitSelectorTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== "");
}
