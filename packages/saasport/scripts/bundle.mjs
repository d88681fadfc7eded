// Bundles the compiled CLI and server into one file: loading ~600 separate ES modules costs more than
// half of Saasport's start-up time. The bundle sits two folders below the package root, like the
// compiled modules, so paths resolved from import.meta.url (catalogs/, openapi/) stay the same.
import { build } from "esbuild";

await build({
  entryPoints: [new URL("../dist/cli/main.js", import.meta.url).pathname],
  outfile: new URL("../dist/bundle/saasport.mjs", import.meta.url).pathname,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  // Native modules and pg's optional native binding are loaded from node_modules at run time.
  external: ["better-sqlite3", "pg-native"],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
