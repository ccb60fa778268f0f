/**
 * Summarizes a V8 .cpuprofile (node --cpu-prof) of dist/k3s.mjs: the
 * functions with the most self time, and self time per source file, mapped
 * back to src/ through the bundle's source map.
 * Run: node --import tsx bench/api/profile-top.ts <file.cpuprofile> [--top=30]
 *        [--window=FROM-TO] (seconds after the profile's start, as the benches print them)
 *        [--callers=NAME] (who calls the functions whose name contains NAME: the 8 heaviest stacks)
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
if (!file) throw new Error("usage: profile-top.ts <file.cpuprofile> [--top=N] [--window=FROM-TO] [--callers=NAME]");
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const top = Number(opt("top") ?? 30);
const [fromS, toS] = (opt("window") ?? "0-Infinity").split("-").map(Number);
const callersOf = opt("callers");
const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;

const maps = new Map<string, SourceMap | undefined>();
function sourceMapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    let map: SourceMap | undefined;
    if (url.startsWith("file://")) {
      const path = `${fileURLToPath(url)}.map`;
      if (existsSync(path)) map = new SourceMap(JSON.parse(readFileSync(path, "utf8")) as SourceMapPayload);
    }
    maps.set(url, map);
  }
  return maps.get(url);
}

/** "function (src/file.ts:line)" for a frame, through the source map when there is one. */
function place(f: CallFrame): { name: string; file: string } {
  const name = f.functionName || "(anonymous)";
  if (!f.url) return { name: `${name}`, file: "(native/vm)" };
  const map = sourceMapOf(f.url);
  const entry = map?.findEntry(f.lineNumber, f.columnNumber);
  if (entry && "originalSource" in entry && entry.originalSource) {
    const src = entry.originalSource.replace(/^.*?\/(src|node_modules)\//, "$1/");
    return { name: `${name} (${src}:${entry.originalLine + 1})`, file: src };
  }
  const short = f.url.replace(/^.*\/node_modules\//, "node_modules/").replace(/^file:\/\/.*\/dist\//, "dist/");
  return { name: `${name} (${short}:${f.lineNumber + 1})`, file: short.startsWith("node:") ? "node: internals" : short };
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const selfUs = new Map<number, number>();
let t = 0;
let first = Infinity;
let last = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  if (t < fromS * 1e6 || t > toS * 1e6) continue;
  first = Math.min(first, t);
  last = Math.max(last, t);
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = last - first;
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let idle = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  if (node.callFrame.functionName === "(idle)") {
    idle += us;
    continue;
  }
  const p = place(node.callFrame);
  byFunction.set(p.name, (byFunction.get(p.name) ?? 0) + us);
  byFile.set(p.file, (byFile.get(p.file) ?? 0) + us);
}
const busy = total - idle;
const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s profiled (${(first / 1e6).toFixed(1)}–${(last / 1e6).toFixed(1)} s), ${(busy / 1e6).toFixed(1)} s not idle (${((busy / total) * 100).toFixed(0)}% of one core)`);
console.log(`top ${top} functions by self time (share of non-idle time):`);
for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
console.log(`self time by file:`);
for (const [name, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(us)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);

if (callersOf) {
  const stacks = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || !node.callFrame.functionName.includes(callersOf)) continue;
    const chain: string[] = [];
    for (let p = parentOf.get(id); p !== undefined && chain.length < 6; p = parentOf.get(p)) {
      const f = byId.get(p)?.callFrame;
      if (f && f.functionName !== "(root)") chain.push(place(f).name);
    }
    const key = `${node.callFrame.functionName} ← ${chain.join(" ← ")}`;
    stacks.set(key, (stacks.get(key) ?? 0) + us);
  }
  console.log(`callers of *${callersOf}*:`);
  for (const [k, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}
