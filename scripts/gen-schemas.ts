/**
 * Turns upstream Go API type definitions (k8s.io/api, apimachinery,
 * apiextensions-apiserver, kube-aggregator types*.go, laid out under the
 * input directory by Go package path, e.g. <in>/k8s.io/api/core/v1/types.go)
 * into our compact schema data: one src/api/schemas/<package>.ts per package.
 *
 * Kept: field JSON names, types, formats, enums, required, protobuf field
 * numbers, patch strategies/merge keys, list/map types. Dropped: upstream's
 * descriptions (ours are written by hand where useful).
 *
 * usage: npx tsx scripts/gen-schemas.ts <input-dir> [output-dir]
 */
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";

interface Schema {
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: string[];
  ref?: string;
  protobuf?: number;
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: string;
  listMapKeys?: string[];
  mapType?: string;
  intOrString?: boolean;
  preserveUnknownFields?: boolean;
}

interface GoField {
  goName: string;
  goType: string;
  tag: string;
  markers: string[];
  embedded: boolean;
}

interface GoType {
  pkg: string;
  name: string;
  markers: string[];
  struct?: GoField[];
  alias?: string;
  imports: Record<string, string>;
}

/** Types whose JSON form is not their Go struct: defined here by hand. */
const SPECIAL: Record<string, Schema> = {
  "io.k8s.apimachinery.pkg.apis.meta.v1.Time": { type: "string", format: "date-time" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": { type: "string", format: "date-time" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.Duration": { type: "string" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": { type: "object" },
  "io.k8s.apimachinery.pkg.api.resource.Quantity": { type: "string", format: "quantity" },
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { type: "string", format: "int-or-string", intOrString: true },
  "io.k8s.apimachinery.pkg.runtime.RawExtension": { type: "object" },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": { preserveUnknownFields: true },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray": { preserveUnknownFields: true },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool": { preserveUnknownFields: true },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray": { preserveUnknownFields: true },
};

/** Named scalar types from packages we do not parse. */
const EXTERNAL: Record<string, Schema> = {
  "io.k8s.apimachinery.pkg.types.UID": { type: "string" },
  "io.k8s.apimachinery.pkg.types.NodeName": { type: "string" },
};

const BASIC: Record<string, Schema> = {
  string: { type: "string" },
  bool: { type: "boolean" },
  int32: { type: "integer", format: "int32" },
  int64: { type: "integer", format: "int64" },
  int: { type: "integer", format: "int32" },
  uint64: { type: "integer", format: "int64" },
  float64: { type: "number", format: "double" },
  "[]byte": { type: "string", format: "byte" },
};

function defPrefix(pkgPath: string): string {
  const parts = pkgPath.split("/");
  const host = parts[0].split(".").reverse().join(".");
  return [host, ...parts.slice(1)].join(".");
}

function walk(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith(".go")) out.push(p);
  }
  return out;
}

function parseImports(src: string): Record<string, string> {
  const imports: Record<string, string> = {};
  const block = /import\s*\(([\s\S]*?)\)/m.exec(src);
  const lines = block ? block[1].split("\n") : [];
  const single = /^import\s+(\w+\s+)?"([^"]+)"/gm;
  for (const m of src.matchAll(single)) lines.push(`${m[1] ?? ""}"${m[2]}"`);
  for (const line of lines) {
    const m = /^\s*(\w+)?\s*"([^"]+)"/.exec(line);
    if (!m) continue;
    const alias = m[1] ?? m[2].split("/").pop()!;
    imports[alias] = m[2];
  }
  return imports;
}

function parseFile(pkg: string, src: string, types: Map<string, GoType>, consts: Map<string, string[]>): void {
  const imports = parseImports(src);
  const lines = src.split("\n");
  let markers: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const mk = /^\s*\/\/\s*\+([\w./-]+(?:=.*)?)\s*$/.exec(line);
    if (mk) { markers.push(mk[1].trim()); continue; }
    if (/^\s*\/\//.test(line)) continue;
    const st = /^type (\w+) struct \{\s*$/.exec(line);
    if (st) {
      const fields: GoField[] = [];
      let fm: string[] = [];
      let depth = 1;
      for (i++; i < lines.length; i++) {
        const l = lines[i];
        if (/^\}/.test(l) && depth === 1) break;
        const m2 = /^\s*\/\/\s*\+([\w./-]+(?:=.*)?)\s*$/.exec(l);
        if (m2) { fm.push(m2[1].trim()); continue; }
        if (/^\s*\/\//.test(l) || l.trim() === "") { if (l.trim() === "") fm = []; continue; }
        const f = /^\s*(\w+)\s+([^\s`]+)\s*(`[^`]*`)?/.exec(l);
        const e = /^\s*(\*?[\w.]+)\s*(`[^`]*`)?\s*$/.exec(l);
        if (e && !f) fields.push({ goName: e[1].replace(/^\*/, "").split(".").pop()!, goType: e[1], tag: e[2] ?? "", markers: fm, embedded: true });
        else if (f) fields.push({ goName: f[1], goType: f[2], tag: f[3] ?? "", markers: fm, embedded: false });
        fm = [];
      }
      types.set(`${pkg}.${st[1]}`, { pkg, name: st[1], markers, struct: fields, imports });
      markers = [];
      continue;
    }
    const al = /^type (\w+) (\S+)\s*(\/\/.*)?$/.exec(line);
    if (al && al[2] !== "struct" && al[2] !== "interface") {
      types.set(`${pkg}.${al[1]}`, { pkg, name: al[1], markers, alias: al[2], imports });
      markers = [];
      continue;
    }
    const cs = /^\s*(\w+)\s+(\w+)\s*=\s*"([^"]*)"/.exec(line);
    if (cs) {
      const key = `${pkg}.${cs[2]}`;
      const list = consts.get(key) ?? [];
      list.push(cs[3]);
      consts.set(key, list);
    }
    if (line.trim() !== "") markers = [];
  }
}

function tagValue(tag: string, key: string): string | undefined {
  const m = new RegExp(`${key}:"([^"]*)"`).exec(tag);
  return m ? m[1] : undefined;
}

class Generator {
  defs = new Map<string, Schema>();
  inlines = new Map<string, { protobuf: number; ref: string }[]>();
  /** JSON names of pointer scalars per definition: a zero value there is a value, not "unset" */
  pointers = new Map<string, string[]>();
  constructor(readonly types: Map<string, GoType>, readonly consts: Map<string, string[]>) {}

  /** Resolve a Go type expression seen in package `ctx` to a schema. */
  resolve(goType: string, ctx: GoType): Schema {
    let t = goType.replace(/^\*/, "");
    if (BASIC[t]) return { ...BASIC[t] };
    if (t.startsWith("[]")) return { type: "array", items: this.resolve(t.slice(2), ctx) };
    const mm = /^map\[([^\]]+)\](.+)$/.exec(t);
    if (mm) return { type: "object", additionalProperties: this.resolve(mm[2], ctx) };
    let pkg = ctx.pkg;
    if (t.includes(".")) {
      const [alias, name] = t.split(".");
      const path = ctx.imports[alias];
      if (!path) { console.warn(`unresolved ${goType} in ${ctx.pkg}`); return { type: "object" }; }
      pkg = defPrefix(path);
      t = name;
    }
    const full = `${pkg}.${t}`;
    if (SPECIAL[full]) { this.defs.set(full, SPECIAL[full]); return { ref: full }; }
    const gt = this.types.get(full);
    if (EXTERNAL[full]) return { ...EXTERNAL[full] };
    if (!gt) { if (!BASIC[t]) console.warn(`unresolved ${full}`); return BASIC[t] ? { ...BASIC[t] } : { type: "object" }; }
    if (gt.struct) { this.emit(full); return { ref: full }; }
    const s = this.resolve(gt.alias!, gt);
    if (gt.markers.includes("enum") && s.type === "string") {
      const values = this.consts.get(full);
      if (values?.length) s.enum = [...new Set(values)].sort();
    }
    return s;
  }

  emit(full: string): void {
    if (this.defs.has(full)) return;
    const gt = this.types.get(full)!;
    const def: Schema = { type: "object", properties: {} };
    this.defs.set(full, def);
    const required: string[] = [];
    const inline: { protobuf: number; ref: string }[] = [];
    const pointers: string[] = [];
    for (const f of gt.struct!) {
      const json = tagValue(f.tag, "json");
      if (json === undefined && !f.embedded) continue;
      if (json === "-") continue;
      const [name, ...opts] = (json ?? "").split(",");
      const pb = tagValue(f.tag, "protobuf");
      const num = pb ? Number(pb.split(",")[1]) : undefined;
      if (name === "" && (opts.includes("inline") || f.embedded)) {
        const sub = this.resolve(f.goType, gt);
        if (sub.ref) {
          const subDef = this.defs.get(sub.ref)!;
          // the parent's protobuf numbers are not the embedded message's: keep only the JSON shape
          for (const [k, v] of Object.entries(subDef.properties ?? {})) {
            const { protobuf: _n, ...rest } = v;
            def.properties![k] = rest;
          }
          if (subDef.required) required.push(...subDef.required);
          if (num !== undefined && !Number.isNaN(num)) inline.push({ protobuf: num, ref: sub.ref });
        }
        continue;
      }
      if (!/^[A-Z]/.test(f.goName)) continue;
      const s = this.resolve(f.goType, gt);
      if (num !== undefined && !Number.isNaN(num)) s.protobuf = num;
      for (const m of f.markers) {
        const [k, v] = m.split("=");
        if (k === "patchStrategy") s.patchStrategy = v;
        if (k === "patchMergeKey") s.patchMergeKey = v;
        if (k === "listType") s.listType = v;
        if (k === "listMapKey") (s.listMapKeys ??= []).push(v);
        if (k === "mapType") s.mapType = v;
      }
      const ps = tagValue(f.tag, "patchStrategy");
      const pk = tagValue(f.tag, "patchMergeKey");
      if (ps) s.patchStrategy = ps;
      if (pk) s.patchMergeKey = pk;
      const optional = opts.includes("omitempty") || f.markers.includes("optional");
      if ((!optional || f.markers.includes("required")) && !f.markers.includes("optional")) required.push(name);
      def.properties![name] = s;
      if (f.goType.startsWith("*") && !s.ref && s.type !== "object" && s.type !== "array") pointers.push(name);
    }
    if (pointers.length) this.pointers.set(full, pointers);
    if (required.length) def.required = [...new Set(required)];
    if (inline.length) this.inlines.set(full, inline);
  }
}

function main(): void {
  const [inDir, outDir = "src/api/schemas"] = process.argv.slice(2);
  if (!inDir) throw new Error("usage: gen-schemas.ts <input-dir> [output-dir]");
  const types = new Map<string, GoType>();
  const consts = new Map<string, string[]>();
  const pkgs = new Set<string>();
  for (const file of walk(inDir, [])) {
    if (/_test\.go$|zz_generated|fuzz/.test(file)) continue;
    const pkg = defPrefix(relative(inDir, file).split("/").slice(0, -1).join("/"));
    pkgs.add(pkg);
    parseFile(pkg, readFileSync(file, "utf8"), types, consts);
  }
  const gen = new Generator(types, consts);
  for (const [full, t] of types) {
    if (!t.struct || !/^[A-Z]/.test(t.name)) continue;
    if (!t.struct.some((f) => tagValue(f.tag, "json") !== undefined)) continue;
    if (SPECIAL[full]) continue;
    gen.emit(full);
  }
  for (const s of Object.keys(SPECIAL)) gen.defs.set(s, SPECIAL[s]);
  mkdirSync(outDir, { recursive: true });
  const byPkg = new Map<string, string[]>();
  for (const name of [...gen.defs.keys()].sort()) {
    const pkg = name.slice(0, name.lastIndexOf("."));
    if (!byPkg.has(pkg)) byPkg.set(pkg, []);
    byPkg.get(pkg)!.push(name);
  }
  const index: string[] = [];
  for (const [pkg, names] of byPkg) {
    const file = pkg.replace(/^io\.k8s\./, "").replace(/\.pkg\.apis?\./, ".").replace(/[^\w.]/g, "_").replace(/\./g, "_");
    const body = names.map((n) => `  ${JSON.stringify(n)}: ${JSON.stringify(gen.defs.get(n))},`).join("\n");
    writeFileSync(join(outDir, `${file}.ts`),
      `// Generated by scripts/gen-schemas.ts from upstream Go type definitions: do not edit.\n` +
      `import type { SchemaRegistry } from "../kind.ts";\n\n` +
      `/** Definitions of package ${pkg}. */\nexport const definitions: SchemaRegistry = {\n${body}\n};\n`);
    index.push(file);
  }
  const inl = [...gen.inlines.entries()].sort().map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join("\n");
  const ptr = [...gen.pointers.entries()].sort().map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join("\n");
  writeFileSync(join(outDir, "index.ts"),
    `// Generated by scripts/gen-schemas.ts: do not edit.\n` +
    `import type { SchemaRegistry } from "../kind.ts";\n` +
    index.map((f, i) => `import { definitions as d${i} } from "./${f}.ts";\n`).join("") +
    `\n/** Every generated definition, keyed by upstream's OpenAPI name. */\n` +
    `export const generatedDefinitions: SchemaRegistry = Object.assign({}, ${index.map((_, i) => `d${i}`).join(", ")});\n\n` +
    `/** Go structs embedded inline in JSON but carried as a nested protobuf message (field number → definition). */\n` +
    `export const protobufInlines: Record<string, { protobuf: number; ref: string }[]> = {\n${inl}\n};\n\n` +
    `/** Optional (pointer) scalar fields: their zero values are kept when decoding protobuf. */\n` +
    `export const pointerFields: Record<string, string[]> = {\n${ptr}\n};\n`);
  console.log(`${gen.defs.size} definitions in ${byPkg.size} packages`);
}

main();
