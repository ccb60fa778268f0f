/**
 * Go's regexp (RE2 syntax) as far as registries.yaml rewrites need it, on top
 * of JavaScript's RegExp: (?P<name>…) groups, leading flag groups such as
 * (?i), \A and \z, POSIX classes like [[:alpha:]], and Go's replacement
 * templates ($1, ${1}, $name, $$). What RE2 refuses and JavaScript would
 * accept (look-around, back-references) is refused too, so a pattern means
 * the same here as in k3s's containerd.
 */

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

/** Translates the text after a backslash; returns the JS text and how many characters it used. */
function translateEscape(src: string, i: number, inClass: boolean): { out: string; used: number } {
  const c = src[i + 1];
  if (c === undefined) throw new Error("trailing backslash");
  if (/[1-9]/.test(c) || c === "k") throw new Error(`back-reference \\${c} is not supported by RE2`);
  if (!inClass && c === "A") return { out: "(?<![\\s\\S])", used: 2 };
  if (!inClass && c === "z") return { out: "(?![\\s\\S])", used: 2 };
  if (c === "Q") {
    // \Q…\E quotes literally
    const end = src.indexOf("\\E", i + 2);
    const text = src.slice(i + 2, end < 0 ? undefined : end);
    return { out: text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"), used: (end < 0 ? src.length : end + 2) - i };
  }
  return { out: src.slice(i, i + 2), used: 2 };
}

/** Translates the start of a group "(?…" at i. */
function translateGroup(src: string, i: number): { out: string; used: number } {
  if (src.startsWith("(?P<", i)) return { out: "(?<", used: 4 };
  if (src.startsWith("(?:", i) || (src.startsWith("(?<", i) && !/^\(\?<[=!]/.test(src.slice(i)))) return { out: src.slice(i, i + 3), used: 3 };
  if (/^\(\?<?[=!]/.test(src.slice(i))) throw new Error("look-around is not supported by RE2");
  throw new Error(`flag group at offset ${i} is only supported at the start of the pattern`);
}

function translate(src: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c === "\\") {
      const e = translateEscape(src, i, inClass);
      out += e.out;
      i += e.used;
    } else if (inClass && src.startsWith("[:", i)) {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
      const cls = m ? POSIX_CLASSES[m[2]!] : undefined;
      if (!m || cls === undefined || m[1]) throw new Error(`unsupported character class at offset ${i}`);
      out += cls;
      i += m[0].length;
    } else if (c === "[" && !inClass) {
      inClass = true;
      // a "]" right after "[" or "[^" is a literal in RE2
      const lead = /^\[\^?\]?/.exec(src.slice(i))![0];
      out += lead.endsWith("]") ? `${lead.slice(0, -1)}\\]` : lead;
      i += lead.length;
    } else if (c === "]" && inClass) {
      inClass = false;
      out += c;
      i++;
    } else if (c === "(" && !inClass && src[i + 1] === "?") {
      const g = translateGroup(src, i);
      out += g.out;
      i += g.used;
    } else {
      out += c;
      i++;
    }
  }
  if (inClass) throw new Error("missing closing ]");
  return out;
}

/** Compiles a Go regexp as a JavaScript RegExp (not global: test() keeps no state); throws with the reason when RE2 or JS refuses it. */
export function compileGoRegexp(pattern: string): RegExp {
  let body = pattern;
  let flags = "";
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    if (lead[1]!.includes("U")) throw new Error("the ungreedy flag U is not supported");
    flags += [...new Set(lead[1]!)].join("");
    body = body.slice(lead[0].length);
  }
  return new RegExp(translate(body), flags);
}

/** Expands a Go replacement template ($1, ${1}, $name, ${name}, $$) for one match. */
export function expandGoTemplate(template: string, match: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== "$") {
      out += c;
      continue;
    }
    if (template[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    // Go takes the longest run of letters, digits and _ as the name: "$1x" names group "1x"
    const m = /^\{([A-Za-z0-9_]+)\}|^([A-Za-z0-9_]+)/.exec(template.slice(i + 1));
    if (!m) {
      out += "$";
      continue;
    }
    const name = m[1] ?? m[2]!;
    out += (/^\d+$/.test(name) ? match[Number(name)] : match.groups?.[name]) ?? "";
    i += m[0].length;
  }
  return out;
}

/** Go's Regexp.ReplaceAllString: every non-overlapping match replaced by the expanded template. */
export function replaceAllGo(re: RegExp, input: string, template: string): string {
  const global = re.global ? re : new RegExp(re.source, re.flags + "g");
  let out = "";
  let last = 0;
  global.lastIndex = 0;
  for (let m = global.exec(input); m; m = global.exec(input)) {
    out += input.slice(last, m.index) + expandGoTemplate(template, m);
    last = m.index + m[0].length;
    if (m[0].length === 0) global.lastIndex++;
  }
  return out + input.slice(last);
}
