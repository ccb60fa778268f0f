#!/usr/bin/env node
// Bundles the k3s program into dist/k3s.mjs (one ESM file; native and
// optional modules stay external and load from node_modules).
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/k3s.mjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: "linked",
  external: ["better-sqlite3", "pg-native", "cpu-features", "ssh2"],
  banner: {
    js: "import { createRequire as __k3sCreateRequire } from 'node:module'; const require = __k3sCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
